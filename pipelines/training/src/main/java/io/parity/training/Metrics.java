package io.parity.training;

import java.util.Arrays;

/**
 * Ranking metrics of fraud scores against labels, plain Java. Ties are handled exactly: tied scores
 * share their average rank (ROC-AUC), form one threshold (average precision) and share the last
 * top-k places in proportion (precision at k). A metric that needs both classes is NaN when one is
 * absent.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * ROC-AUC from ranks (Mann-Whitney U): the probability that a random fraud row scores above a
   * random legitimate one, a tie counting one half.
   */
  public static double rocAuc(double[] scores, boolean[] labels) {
    int n = check(scores, labels);
    long positives = positives(labels);
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    Integer[] order = ascending(scores);
    double positiveRanks = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1; // average 1-based rank of the tie group
      for (int k = i; k <= j; k++) {
        if (labels[order[k]]) {
          positiveRanks += rank;
        }
      }
      i = j + 1;
    }
    double u = positiveRanks - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /**
   * Average precision as scikit-learn defines it: {@code sum_n (R_n - R_{n-1}) * P_n} over the
   * distinct score thresholds from the highest down, {@code P_n} and {@code R_n} the precision and
   * recall of the rows scoring at least the n-th threshold.
   */
  public static double averagePrecision(double[] scores, boolean[] labels) {
    int n = check(scores, labels);
    long positives = positives(labels);
    if (positives == 0) {
      return Double.NaN;
    }
    Integer[] order = descending(scores);
    double ap = 0;
    double previousRecall = 0;
    long truePositives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && scores[order[j]] == scores[order[i]]) {
        if (labels[order[j]]) {
          truePositives++;
        }
        j++;
      }
      double precision = (double) truePositives / j;
      double recall = (double) truePositives / positives;
      ap += (recall - previousRecall) * precision;
      previousRecall = recall;
      i = j;
    }
    return ap;
  }

  /**
   * Precision of the {@code k} highest scores (of all rows when there are fewer than {@code k}). A
   * tie group straddling place {@code k} contributes its fraud share to the places left, the
   * expected precision over every order of the tied rows.
   */
  public static double precisionAtK(double[] scores, boolean[] labels, int k) {
    int n = check(scores, labels);
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1: " + k);
    }
    int m = Math.min(k, n);
    if (m == 0) {
      return Double.NaN;
    }
    Integer[] order = descending(scores);
    double hits = 0;
    int taken = 0;
    int i = 0;
    while (taken < m) {
      int j = i;
      int groupPositives = 0;
      while (j < n && scores[order[j]] == scores[order[i]]) {
        if (labels[order[j]]) {
          groupPositives++;
        }
        j++;
      }
      int group = j - i;
      int places = Math.min(group, m - taken);
      hits += places == group ? groupPositives : (double) places * groupPositives / group;
      taken += places;
      i = j;
    }
    return hits / m;
  }

  private static int check(double[] scores, boolean[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          scores.length + " scores but " + labels.length + " labels");
    }
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("score " + i + " is NaN");
      }
    }
    return scores.length;
  }

  private static long positives(boolean[] labels) {
    long p = 0;
    for (boolean l : labels) {
      if (l) {
        p++;
      }
    }
    return p;
  }

  private static Integer[] ascending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    return order;
  }

  private static Integer[] descending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    return order;
  }
}
