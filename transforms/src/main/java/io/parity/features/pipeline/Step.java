package io.parity.features.pipeline;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.FeatureReplay;

/**
 * A payment (with the feature values computed so far) or a label, placed at its processing time:
 * what flows between the keyed stages of {@link ComputeFeatures}.
 */
record Step(long processingTime, PaymentEvent payment, double[] values, LabelEvent label) {

  static Step payment(long processingTime, PaymentEvent payment, double[] values) {
    return new Step(processingTime, payment, values, null);
  }

  static Step label(long processingTime, LabelEvent label) {
    return new Step(processingTime, null, null, label);
  }

  boolean isPayment() {
    return payment != null;
  }

  String eventId() {
    return isPayment() ? payment.eventId() : label.eventId();
  }

  /** The same step as the engine's ordering sees it. */
  FeatureReplay.Observation observation() {
    return new FeatureReplay.Observation(processingTime, payment, label);
  }
}
