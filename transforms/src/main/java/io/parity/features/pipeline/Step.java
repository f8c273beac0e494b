package io.parity.features.pipeline;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.FeatureReplay;

/**
 * A payment (with the feature values computed so far) or a label, placed at its processing time:
 * what flows between the keyed stages of {@link ComputeFeatures}. A replayed payment (warm-start
 * history) is applied to the state like any other but produces no output row.
 */
record Step(
    long processingTime,
    PaymentEvent payment,
    double[] values,
    LabelEvent label,
    boolean replay,
    long readAtMillis) {

  /**
   * A live payment; {@code readAtMillis} is the wall-clock time the job read it (for the latency
   * breakdown; 0 when unknown), never part of a feature value.
   */
  static Step payment(
      long processingTime, PaymentEvent payment, double[] values, long readAtMillis) {
    return new Step(processingTime, payment, values, null, false, readAtMillis);
  }

  static Step replayedPayment(long processingTime, PaymentEvent payment, double[] values) {
    return new Step(processingTime, payment, values, null, true, 0L);
  }

  static Step label(long processingTime, LabelEvent label) {
    return new Step(processingTime, null, null, label, false, 0L);
  }

  /** The same payment step with other feature values. */
  Step withValues(double[] newValues) {
    return new Step(processingTime, payment, newValues, null, replay, readAtMillis);
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
