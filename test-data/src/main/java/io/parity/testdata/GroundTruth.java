package io.parity.testdata;

import io.parity.events.PaymentEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which generated events are fraudulent, of which kind, and in which incident. */
public final class GroundTruth {

  private final Map<String, GeneratedPayment> frauds;
  private final List<FraudIncident> incidents;

  private GroundTruth(Map<String, GeneratedPayment> frauds, List<FraudIncident> incidents) {
    this.frauds = frauds;
    this.incidents = incidents;
  }

  /** Collects the ground truth of generated payments (legitimate ones may be included). */
  public static GroundTruth of(Iterable<GeneratedPayment> payments) {
    Map<String, GeneratedPayment> frauds = new LinkedHashMap<>();
    Map<Integer, List<PaymentEvent>> byIncident = new TreeMap<>();
    Map<Integer, FraudKind> kinds = new HashMap<>();
    for (GeneratedPayment payment : payments) {
      if (payment.isFraud()) {
        frauds.put(payment.event().eventId(), payment);
        byIncident
            .computeIfAbsent(payment.incidentId(), id -> new ArrayList<>())
            .add(payment.event());
        kinds.put(payment.incidentId(), payment.fraudKind());
      }
    }
    List<FraudIncident> incidents = new ArrayList<>();
    for (Map.Entry<Integer, List<PaymentEvent>> entry : byIncident.entrySet()) {
      FraudKind kind = kinds.get(entry.getKey());
      PaymentEvent first = entry.getValue().get(0);
      boolean terminal = kind == FraudKind.TERMINAL_COMPROMISE;
      incidents.add(
          new FraudIncident(
              entry.getKey(),
              kind,
              terminal ? null : first.cardId(),
              terminal ? first.merchantId() : null,
              entry.getValue().stream().map(PaymentEvent::eventId).toList()));
    }
    return new GroundTruth(
        Collections.unmodifiableMap(frauds), Collections.unmodifiableList(incidents));
  }

  /** The kind of fraud of an event, {@link FraudKind#NONE} if legitimate or unknown. */
  public FraudKind kindOf(String eventId) {
    GeneratedPayment payment = frauds.get(eventId);
    return payment == null ? FraudKind.NONE : payment.fraudKind();
  }

  /** Whether the event is fraudulent. */
  public boolean isFraud(String eventId) {
    return frauds.containsKey(eventId);
  }

  /** The incident of a fraudulent event, -1 if legitimate or unknown. */
  public int incidentOf(String eventId) {
    GeneratedPayment payment = frauds.get(eventId);
    return payment == null ? -1 : payment.incidentId();
  }

  /** Fraudulent event ids and their kind, in event order. */
  public Map<String, FraudKind> fraudKinds() {
    Map<String, FraudKind> kinds = new LinkedHashMap<>();
    frauds.forEach((id, payment) -> kinds.put(id, payment.fraudKind()));
    return Collections.unmodifiableMap(kinds);
  }

  /** All incidents, by id. */
  public List<FraudIncident> incidents() {
    return incidents;
  }

  /** The incidents of one kind, by id. */
  public List<FraudIncident> incidents(FraudKind kind) {
    return incidents.stream().filter(i -> i.kind() == kind).toList();
  }

  /** Number of fraudulent events. */
  public int fraudEventCount() {
    return frauds.size();
  }
}
