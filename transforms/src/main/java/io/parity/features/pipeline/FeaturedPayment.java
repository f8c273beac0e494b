package io.parity.features.pipeline;

import io.parity.events.PaymentEvent;
import java.util.Arrays;
import java.util.Objects;

/**
 * A payment with its feature values (in the spec's feature order). Equality is bitwise over the
 * payment, its processing time and its values; the two wall-clock stamps (when the job read the
 * payment and when its features were done, 0 when unknown) only feed the latency breakdown and take
 * no part in equality.
 */
public record FeaturedPayment(
    PaymentEvent payment,
    long processingTime,
    double[] values,
    long readAtMillis,
    long featuresAtMillis) {

  public FeaturedPayment {
    Objects.requireNonNull(payment, "payment");
    Objects.requireNonNull(values, "values");
  }

  /** Without wall-clock stamps (batch). */
  public FeaturedPayment(PaymentEvent payment, long processingTime, double[] values) {
    this(payment, processingTime, values, 0L, 0L);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeaturedPayment f
        && payment.equals(f.payment)
        && processingTime == f.processingTime
        && Arrays.equals(values, f.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(payment, processingTime, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "FeaturedPayment[" + payment.eventId() + " " + Arrays.toString(values) + "]";
  }
}
