package io.parity.testdata;

import io.parity.events.PaymentEvent;
import java.util.Objects;

/**
 * A generated payment with its ground truth: the kind of fraud ({@link FraudKind#NONE} if
 * legitimate) and the fraud incident it belongs to ({@code -1} if legitimate). Events of one
 * incident share its id: a card's burst, a terminal's victims, an impossible-travel pair.
 */
public record GeneratedPayment(PaymentEvent event, FraudKind fraudKind, int incidentId) {

  public GeneratedPayment {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(fraudKind, "fraudKind");
    if (fraudKind.isFraud() != (incidentId >= 0)) {
      throw new IllegalArgumentException(
          "a fraud needs an incident id >= 0 and a legitimate payment -1, was "
              + fraudKind
              + " with "
              + incidentId);
    }
  }

  /** Whether the payment is fraudulent. */
  public boolean isFraud() {
    return fraudKind.isFraud();
  }
}
