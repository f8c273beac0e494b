package io.parity.lakehouse.training;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Frozen full-pass statistics of one feature column over a training set's statistics rows.
 *
 * @param count the non-null finite values
 * @param nulls rows where the feature is null
 * @param nonFinite NaN or infinite values (left out of every statistic)
 * @param mean sum of the values (in row order) divided by {@code count}; null when count is 0
 * @param stddev population standard deviation, two-pass: {@code sqrt(sum((x - mean)^2) / count)}
 * @param quantileEdges 11 edges of 10 equal-frequency bins: {@code e0 = min} and {@code e_k} = the
 *     value of rank {@code ceil(k * count / 10)} (1-based) of the sorted values, so {@code e10 =
 *     max}; empty when count is 0
 * @param vocabulary the sorted distinct values when every value is a whole number in {@code [0,
 *     1000]} and there are at most 100 distinct values; null otherwise
 */
@JsonPropertyOrder({
  "count",
  "nulls",
  "nonFinite",
  "mean",
  "stddev",
  "min",
  "max",
  "quantileEdges",
  "vocabulary"
})
public record FeatureStats(
    long count,
    long nulls,
    long nonFinite,
    Double mean,
    Double stddev,
    Double min,
    Double max,
    List<Double> quantileEdges,
    List<Long> vocabulary) {

  /** Number of equal-frequency bins. */
  public static final int BINS = 10;

  /** Largest value a vocabulary may hold. */
  public static final long MAX_VOCABULARY_VALUE = 1000;

  /** Most distinct values a vocabulary may hold. */
  public static final int MAX_VOCABULARY_SIZE = 100;

  /** Computes the statistics of a column; {@code values} in row order, null for a null. */
  public static FeatureStats of(List<Double> values) {
    long nulls = 0;
    long nonFinite = 0;
    List<Double> xs = new ArrayList<>(values.size());
    for (Double v : values) {
      if (v == null) {
        nulls++;
      } else if (!Double.isFinite(v)) {
        nonFinite++;
      } else {
        xs.add(v);
      }
    }
    int n = xs.size();
    if (n == 0) {
      return new FeatureStats(0, nulls, nonFinite, null, null, null, null, List.of(), null);
    }
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    double mean = sum / n;
    double squares = 0;
    for (double x : xs) {
      double d = x - mean;
      squares += d * d;
    }
    double stddev = Math.sqrt(squares / n);
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    List<Double> edges = new ArrayList<>(BINS + 1);
    edges.add(sorted[0]);
    for (int k = 1; k <= BINS; k++) {
      long rank = ((long) k * n + BINS - 1) / BINS; // ceil(k * n / BINS), 1-based
      edges.add(sorted[(int) rank - 1]);
    }
    return new FeatureStats(
        n, nulls, nonFinite, mean, stddev, sorted[0], sorted[n - 1], edges, vocabulary(sorted));
  }

  private static List<Long> vocabulary(double[] sorted) {
    TreeSet<Long> distinct = new TreeSet<>();
    for (double x : sorted) {
      if (x < 0 || x > MAX_VOCABULARY_VALUE || x != Math.rint(x)) {
        return null;
      }
      distinct.add((long) x);
      if (distinct.size() > MAX_VOCABULARY_SIZE) {
        return null;
      }
    }
    return List.copyOf(distinct);
  }
}
