package io.parity.training;

import io.parity.lakehouse.training.Split;
import io.parity.lakehouse.training.TrainingSetVersion;
import io.parity.lakehouse.training.TrainingSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a model is trained on, independent of the catalog: the training-set version's tag and spec
 * fingerprint (the model's lineage), its feature order, the normalization from its frozen
 * statistics, and its rows.
 *
 * @param trainingSet the version's tag, e.g. {@code fraud-v2}
 * @param splits the version's split names (for error messages)
 */
public record TrainingInput(
    String trainingSet,
    String specFingerprint,
    List<String> features,
    Normalization normalization,
    List<String> splits,
    List<LabeledRow> rows) {

  public TrainingInput {
    Objects.requireNonNull(trainingSet, "trainingSet");
    Objects.requireNonNull(specFingerprint, "specFingerprint");
    features = List.copyOf(features);
    splits = List.copyOf(splits);
    rows = List.copyOf(rows);
    if (normalization.size() != features.size()) {
      throw new IllegalArgumentException(
          "normalization of "
              + normalization.size()
              + " features for "
              + features.size()
              + " feature columns");
    }
    if (!splits.contains(Trainer.TRAIN) || !splits.contains(Trainer.VALID)) {
      throw new IllegalArgumentException(
          "training set "
              + trainingSet
              + " has splits "
              + splits
              + " but training needs a train and a valid split (early stopping validates on"
              + " valid): create a version with parity training-set create ... --split"
              + " train:FROM..TO,valid:FROM..TO (valid after train in time)");
    }
  }

  /**
   * From a training-set manifest and its rows as {@link TrainingSets#rows} returns them ({@code
   * event_id, event_time, split, label, features...}); a null feature becomes NaN (missing).
   */
  public static TrainingInput fromManifest(TrainingSetVersion manifest, List<Object[]> rows) {
    List<String> features = manifest.features();
    int offset = TrainingSets.BASE_COLUMNS.size();
    List<LabeledRow> labeled = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      double[] values = new double[features.size()];
      for (int j = 0; j < values.length; j++) {
        Object v = row[offset + j];
        values[j] = v == null ? Double.NaN : ((Number) v).doubleValue();
      }
      labeled.add(new LabeledRow(values, Boolean.TRUE.equals(row[3]), (String) row[2]));
    }
    return new TrainingInput(
        manifest.tag(),
        manifest.specFingerprint(),
        features,
        Normalization.fromStatistics(features, manifest.statistics()),
        manifest.splits() == null
            ? List.of()
            : manifest.splits().stream().map(Split::name).toList(),
        labeled);
  }
}
