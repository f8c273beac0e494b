package io.parity.training;

import io.parity.lakehouse.training.FeatureStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The constants of {@code (x - mean) / stddev}, per feature in input order, baked into the model
 * graph so serving feeds raw values. Built from a training set's frozen statistics, never
 * recomputed.
 */
public record Normalization(List<Double> mean, List<Double> stddev) {
  public Normalization {
    mean = List.copyOf(mean);
    stddev = List.copyOf(stddev);
    if (mean.size() != stddev.size()) {
      throw new IllegalArgumentException(
          mean.size() + " means but " + stddev.size() + " standard deviations");
    }
    for (int j = 0; j < mean.size(); j++) {
      if (!Double.isFinite(mean.get(j))) {
        throw new IllegalArgumentException("mean " + j + " is not finite: " + mean.get(j));
      }
      double s = stddev.get(j);
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new IllegalArgumentException("stddev " + j + " must be positive and finite: " + s);
      }
    }
  }

  /**
   * From a training-set manifest's frozen statistics: a feature without statistics or with a null
   * mean gets mean 0; a null, zero or non-finite stddev becomes 1 (a constant column stays 0).
   */
  public static Normalization fromStatistics(
      List<String> features, Map<String, FeatureStats> statistics) {
    List<Double> mean = new ArrayList<>();
    List<Double> stddev = new ArrayList<>();
    for (String f : features) {
      FeatureStats s = statistics == null ? null : statistics.get(f);
      Double m = s == null ? null : s.mean();
      Double d = s == null ? null : s.stddev();
      mean.add(m == null || !Double.isFinite(m) ? 0.0 : m);
      stddev.add(d == null || !(d > 0) || !Double.isFinite(d) ? 1.0 : d);
    }
    return new Normalization(mean, stddev);
  }

  /** Mean 0 and stddev 1 for {@code n} features (no scaling). */
  public static Normalization identity(int n) {
    List<Double> zeros = new ArrayList<>();
    List<Double> ones = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      zeros.add(0.0);
      ones.add(1.0);
    }
    return new Normalization(zeros, ones);
  }

  /** Number of features. */
  public int size() {
    return mean.size();
  }

  float[] meanFloats() {
    return floats(mean);
  }

  float[] stddevFloats() {
    return floats(stddev);
  }

  private static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = values.get(j).floatValue();
    }
    return out;
  }
}
