package io.parity.features;

import java.util.Arrays;
import java.util.Objects;

/** One payment's feature values, in the spec's feature order. Equality is bitwise on values. */
public record FeatureRow(String eventId, long eventTimeMillis, double[] values) {

  public FeatureRow {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(values, "values");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureRow r
        && eventId.equals(r.eventId)
        && eventTimeMillis == r.eventTimeMillis
        && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, eventTimeMillis, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "FeatureRow[" + eventId + " @" + eventTimeMillis + " " + Arrays.toString(values) + "]";
  }
}
