package io.parity.training;

import io.parity.lakehouse.training.FeatureStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic fraud data with a known signal on features of very different scales: fraud log-odds
 * {@code -4 + 3 z0 + 2 z1 - 2 z2 + 1.5 z0 z1} of latent standard normals, the features {@code x_j =
 * center_j + scale_j z_j} (so the model only sees the signal after normalization), about 1% of
 * values missing.
 */
final class Synthetic {
  static final List<String> FEATURES =
      List.of(
          "amount",
          "count_1h",
          "merchant_risk",
          "hour",
          "velocity_24h",
          "distance_km",
          "amount_avg_7d",
          "count_7d",
          "merchant_age_days",
          "card_age_days",
          "declines_24h",
          "country_risk");
  private static final double[] CENTER = {500, 4, 0.3, 12, -50, 80, 450, 30, 700, 900, 0.5, 0.2};
  private static final double[] SCALE = {300, 2, 0.1, 7, 40, 60, 200, 12, 400, 500, 0.7, 0.05};

  private Synthetic() {}

  /** {@code train} rows then {@code valid} rows; labels permuted when {@code shuffleLabels}. */
  static List<LabeledRow> rows(int train, int valid, long seed, boolean shuffleLabels) {
    Random random = new Random(seed);
    int n = FEATURES.size();
    List<double[]> xs = new ArrayList<>();
    List<Boolean> ys = new ArrayList<>();
    for (int i = 0; i < train + valid; i++) {
      double[] z = new double[n];
      double[] x = new double[n];
      for (int j = 0; j < n; j++) {
        z[j] = random.nextGaussian();
        x[j] = random.nextDouble() < 0.01 ? Double.NaN : CENTER[j] + SCALE[j] * z[j];
      }
      double logit = -4 + 3 * z[0] + 2 * z[1] - 2 * z[2] + 1.5 * z[0] * z[1];
      ys.add(random.nextDouble() < 1 / (1 + Math.exp(-logit)));
      xs.add(x);
    }
    if (shuffleLabels) {
      java.util.Collections.shuffle(ys, new Random(seed + 1));
    }
    List<LabeledRow> rows = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      rows.add(new LabeledRow(xs.get(i), ys.get(i), i < train ? "train" : "valid"));
    }
    return rows;
  }

  /** The normalization a manifest would freeze: the train split's statistics. */
  static Normalization normalization(List<LabeledRow> rows) {
    Map<String, FeatureStats> stats = new LinkedHashMap<>();
    for (int j = 0; j < FEATURES.size(); j++) {
      List<Double> column = new ArrayList<>();
      for (LabeledRow r : rows) {
        if ("train".equals(r.split())) {
          double v = r.features()[j];
          column.add(Double.isNaN(v) ? null : v);
        }
      }
      stats.put(FEATURES.get(j), FeatureStats.of(column));
    }
    return Normalization.fromStatistics(FEATURES, stats);
  }

  static TrainingInput input(List<LabeledRow> rows, String fingerprint) {
    return new TrainingInput(
        "synthetic-v1",
        fingerprint,
        FEATURES,
        normalization(rows),
        List.of("train", "valid"),
        rows);
  }
}
