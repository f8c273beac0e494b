package io.parity.features.pipeline;

import io.parity.events.PaymentEvent;
import java.util.Arrays;
import java.util.Objects;

/** A payment with its feature values (in the spec's feature order). Equality is bitwise. */
public record FeaturedPayment(PaymentEvent payment, long processingTime, double[] values) {

  public FeaturedPayment {
    Objects.requireNonNull(payment, "payment");
    Objects.requireNonNull(values, "values");
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
