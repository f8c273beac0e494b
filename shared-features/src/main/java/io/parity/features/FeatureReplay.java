package io.parity.features;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch semantics in one JVM: every payment's features, applying each entity's observations in
 * processing order. It is the plain sequential loop of the benchmarks and the reference the
 * pipelines are compared with; the batch pipeline does the same per entity, in parallel.
 */
public final class FeatureReplay {
  private FeatureReplay() {}

  /** One payment or label placed in an entity's processing order. */
  public record Observation(long processingTime, PaymentEvent payment, LabelEvent label) {
    public boolean isPayment() {
      return payment != null;
    }
  }

  /**
   * The processing order within one entity: processing time, payments before labels, event id,
   * label time, then non-fraud before fraud (so of two labels at once, fraud wins).
   */
  public static final Comparator<Observation> ORDER =
      Comparator.comparingLong(Observation::processingTime)
          .thenComparingInt((Observation o) -> o.isPayment() ? 0 : 1)
          .thenComparing(
              (Observation o) -> o.isPayment() ? o.payment().eventId() : o.label().eventId())
          .thenComparingLong((Observation o) -> o.isPayment() ? 0 : o.label().labelTimeMillis())
          .thenComparingInt((Observation o) -> o.isPayment() || !o.label().fraud() ? 0 : 1);

  /** Every payment's feature row, sorted by event id. */
  public static List<FeatureRow> replay(
      FeatureSpec spec, List<Arrival<PaymentEvent>> payments, List<Arrival<LabelEvent>> labels) {
    FeatureEngine engine = new FeatureEngine(spec);
    Map<String, double[]> values = new HashMap<>();
    Map<String, Long> processingTimes = new HashMap<>();
    Map<String, PaymentEvent> byId = new HashMap<>();
    for (Arrival<PaymentEvent> a : payments) {
      PaymentEvent p = a.value();
      if (byId.put(p.eventId(), p) != null) {
        throw new IllegalArgumentException("duplicate payment id " + p.eventId());
      }
      processingTimes.put(
          p.eventId(), engine.processingTime(p.eventTimeMillis(), a.ingestTimeMillis()));
      double[] v = new double[engine.featureCount()];
      engine.computeEventFeatures(p, v);
      values.put(p.eventId(), v);
    }
    for (String entity : engine.entities()) {
      Map<String, List<Observation>> byKey = new HashMap<>();
      for (PaymentEvent p : byId.values()) {
        String key = engine.entityKey(entity, p);
        long tau = processingTimes.get(p.eventId());
        if (key == null) {
          engine.applyPayment(entity, null, p, tau, values.get(p.eventId()));
        } else {
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Observation(tau, p, null));
        }
      }
      for (Arrival<LabelEvent> a : labels) {
        LabelEvent l = a.value();
        PaymentEvent p = byId.get(l.eventId());
        String key = p == null ? null : engine.entityKey(entity, p);
        long paymentTau = p == null ? 0 : processingTimes.get(p.eventId());
        if (key != null
            && engine.labelJoinable(
                engine.labelReadyTime(l.labelTimeMillis(), a.ingestTimeMillis()), paymentTau)) {
          long rho =
              engine.labelProcessingTime(l.labelTimeMillis(), a.ingestTimeMillis(), paymentTau);
          byKey.get(key).add(new Observation(rho, null, l));
        }
      }
      for (List<Observation> observations : byKey.values()) {
        observations.sort(ORDER);
        EntityHistory history = new EntityHistory();
        for (Observation o : observations) {
          if (o.isPayment()) {
            engine.applyPayment(
                entity,
                history,
                o.payment(),
                o.processingTime(),
                values.get(o.payment().eventId()));
          } else {
            engine.applyLabel(entity, history, o.label(), o.processingTime());
          }
        }
      }
    }
    List<FeatureRow> rows = new ArrayList<>(byId.size());
    for (PaymentEvent p : byId.values()) {
      rows.add(new FeatureRow(p.eventId(), p.eventTimeMillis(), values.get(p.eventId())));
    }
    rows.sort(Comparator.comparing(FeatureRow::eventId));
    return rows;
  }
}
