package io.parity.training;

import io.parity.lakehouse.training.Split;
import io.parity.lakehouse.training.TrainingSetVersion;
import io.parity.lakehouse.training.TrainingSets;
import io.parity.scoring.ModelMetadata;
import io.parity.scoring.ModelStore;
import io.parity.scoring.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.iceberg.catalog.Catalog;

/**
 * Trains a model on a training-set version and publishes it as the next version of a model
 * directory ({@code models/NAME/<N>/}: SavedModel + {@code parity-model.json}), staged beside the
 * versions and renamed into place atomically after a reload check, then reloaded with {@link
 * Scorer#load} (the smoke inference) as the last step.
 */
public final class TrainModel {
  /** Rows of the smoke block in {@code parity-model.json}. */
  static final int SMOKE_ROWS = 8;

  /** The k of the precision-at-k validation metric. */
  static final int TOP_K = 100;

  private static final int PUBLISH_ATTEMPTS = 3;

  private TrainModel() {}

  /**
   * Trains on training-set version {@code trainingSetTag} ({@code NAME-vN}) of the catalog: its
   * tagged rows, feature order and frozen statistics, its {@code train} split to fit and its {@code
   * valid} split for early stopping, and publishes the next version in {@code modelDir}.
   *
   * @throws IllegalArgumentException for an unknown version, a set without train and valid splits
   *     or a split with one class only
   */
  public static TrainResult run(
      Catalog catalog, String trainingSetTag, Path modelDir, TrainOptions options) {
    TrainingSetVersion manifest = TrainingSets.version(catalog, trainingSetTag);
    TrainingInput input =
        TrainingInput.fromManifest(manifest, TrainingSets.rows(catalog, manifest));
    Optional<Split> train = split(manifest, Trainer.TRAIN);
    Optional<Split> valid = split(manifest, Trainer.VALID);
    if (train.isPresent() && valid.isPresent() && valid.get().from().isBefore(train.get().to())) {
      options
          .progress()
          .accept(
              "warning: the valid split of "
                  + manifest.tag()
                  + " starts before train ends: validation is not out-of-time");
    }
    return train(input, modelDir, options);
  }

  private static Optional<Split> split(TrainingSetVersion manifest, String name) {
    return manifest.splits() == null
        ? Optional.empty()
        : manifest.splits().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Trains on in-memory rows and publishes the next version in {@code modelDir}: fits, exports the
   * best epoch's weights as a SavedModel with {@code parity-model.json} into a staging directory,
   * reloads the staged model and requires it to score every validation row as the in-memory model
   * does, renames it into place, and reloads the published version (smoke inference).
   */
  public static TrainResult train(TrainingInput input, Path modelDir, TrainOptions options) {
    ModelStore store = ModelStore.at(modelDir);
    long trainRows = input.rows().stream().filter(r -> Trainer.TRAIN.equals(r.split())).count();
    long validRows = input.rows().stream().filter(r -> Trainer.VALID.equals(r.split())).count();
    options
        .progress()
        .accept(
            String.format(
                Locale.ROOT,
                "training %s%s on %s: %d features, %d train rows, %d valid rows",
                options.model().wireName(),
                options.layers().isEmpty() ? "" : " " + options.layers(),
                input.trainingSet(),
                input.features().size(),
                trainRows,
                validRows));
    try (TrainedModel model =
        Trainer.train(
            input.trainingSet(), input.features(), input.normalization(), input.rows(), options)) {
      double[][] valid = model.validRows();
      boolean[] labels = model.validLabels();
      float[] scores = model.score(valid);
      double[] s = new double[scores.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = scores[i];
      }
      long validPositives = 0;
      for (boolean l : labels) {
        validPositives += l ? 1 : 0;
      }
      ModelMetadata.Validation validation =
          new ModelMetadata.Validation(
              Metrics.rocAuc(s, labels),
              Metrics.averagePrecision(s, labels),
              Metrics.precisionAtK(s, labels, TOP_K),
              valid.length,
              validPositives,
              model.epochsTrained(),
              model.bestEpoch());
      ModelMetadata.Smoke smoke = smoke(model, valid, scores);
      TrainOptions o = model.options();
      ModelMetadata.Training training =
          new ModelMetadata.Training(
              o.layers(),
              o.learningRate(),
              o.batchSize(),
              o.maxEpochs(),
              o.patience(),
              o.seed(),
              model.positiveWeight(),
              Trainer.EARLY_STOPPING_METRIC,
              model.trainRows(),
              model.trainPositives());
      ModelMetadata metadata =
          new ModelMetadata(
              ModelMetadata.FORMAT_VERSION,
              store.name(),
              store.nextVersion(),
              o.model().wireName(),
              Instant.now(),
              input.specFingerprint(),
              input.trainingSet(),
              input.features(),
              ModelMetadata.ServingSignature.DEFAULT,
              validation,
              training,
              new ModelMetadata.Normalization(
                  input.normalization().mean(), input.normalization().stddev()),
              smoke);
      for (int attempt = 1; ; attempt++) {
        Path staged = store.newStagingDir();
        try {
          model.exportSavedModel(staged);
          metadata.write(staged);
          checkReload(staged, valid, scores);
          Path published = store.publish(staged, metadata.version());
          try (Scorer last = Scorer.load(published)) {
            options
                .progress()
                .accept(
                    String.format(
                        Locale.ROOT,
                        "published %s (best epoch %d of %d): valid ROC-AUC %.4f  AP %.4f"
                            + "  precision@%d %.4f",
                        last.directory(),
                        validation.bestEpoch(),
                        validation.epochsTrained(),
                        validation.rocAuc(),
                        validation.averagePrecision(),
                        TOP_K,
                        validation.precisionAt100()));
          }
          return new TrainResult(published, metadata, model.history());
        } catch (FileAlreadyExistsException raced) {
          if (attempt >= PUBLISH_ATTEMPTS) {
            throw new IllegalStateException(
                "could not publish a version in " + store.dir() + ": other trainers took " + raced);
          }
          metadata = metadata.withVersion(store.nextVersion());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot export the model to " + staged, e);
        } finally {
          ModelStore.deleteRecursively(staged);
        }
      }
    }
  }

  /**
   * {@link #SMOKE_ROWS} validation rows spread over the score range (evenly spaced ranks of the
   * in-memory scores), with the scores the serving graph gives them as one batch.
   */
  private static ModelMetadata.Smoke smoke(TrainedModel model, double[][] valid, float[] scores) {
    Integer[] order = new Integer[valid.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).thenComparing(i -> i));
    int k = Math.min(SMOKE_ROWS, valid.length);
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      int rank = k == 1 ? 0 : (int) Math.round((double) i * (valid.length - 1) / (k - 1));
      picked.add(order[rank]);
    }
    List<List<Double>> stored = new ArrayList<>();
    for (int index : picked) {
      List<Double> row = new ArrayList<>();
      for (double v : valid[index]) {
        row.add(Double.isFinite(v) ? v : null);
      }
      stored.add(row);
    }
    // Score exactly what the file will hold (non-finite values become missing) as one batch.
    double[][] asStored = new ModelMetadata.Smoke(stored, List.of()).inputs();
    float[] smokeScores = model.score(asStored);
    List<Float> recorded = new ArrayList<>();
    for (float f : smokeScores) {
      recorded.add(f);
    }
    return new ModelMetadata.Smoke(stored, recorded);
  }

  /**
   * Loads the staged SavedModel (which runs the smoke inference) and requires it to score every
   * validation row within {@link ModelMetadata#SMOKE_TOLERANCE} of the in-memory model.
   */
  private static void checkReload(Path staged, double[][] valid, float[] expected) {
    try (Scorer reloaded = Scorer.load(staged)) {
      float[] again = reloaded.score(valid);
      double worst = 0;
      int worstRow = -1;
      for (int i = 0; i < again.length; i++) {
        double d = Math.abs((double) again[i] - expected[i]);
        if (!(d <= worst)) {
          worst = d;
          worstRow = i;
        }
      }
      if (worst > ModelMetadata.SMOKE_TOLERANCE) {
        throw new IllegalStateException(
            "the exported model does not reproduce the trained one: validation row "
                + worstRow
                + " scores "
                + again[worstRow]
                + " after reload, "
                + expected[worstRow]
                + " in memory");
      }
    }
  }
}
