package io.parity.features.pipeline;

import io.parity.features.FeatureSpec;

/**
 * The text form of a feature row, shared by every sink: {@code event_id,spec_fingerprint,<one
 * column per feature>}. Doubles are written with {@link Double#toString}, which reads back to the
 * same bits, so rows from different pipelines can be compared byte for byte.
 */
public final class FeatureRows {
  private FeatureRows() {}

  public static String header(FeatureSpec spec) {
    return "event_id,spec_fingerprint," + String.join(",", spec.featureNames());
  }

  public static String csv(String fingerprint, FeaturedPayment f) {
    return csv(fingerprint, f.payment().eventId(), f.values());
  }

  public static String csv(String fingerprint, String eventId, double[] values) {
    StringBuilder b = new StringBuilder(quote(eventId)).append(',').append(fingerprint);
    for (double v : values) {
      b.append(',').append(Double.toString(v));
    }
    return b.toString();
  }

  private static String quote(String s) {
    return s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0
        ? s
        : '"' + s.replace("\"", "\"\"") + '"';
  }
}
