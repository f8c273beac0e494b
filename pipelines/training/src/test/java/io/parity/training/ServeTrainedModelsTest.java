package io.parity.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.scoring.IncompatibleModelException;
import io.parity.scoring.ModelMetadata;
import io.parity.scoring.ModelStore;
import io.parity.scoring.Scorer;
import io.parity.scoring.ServingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Trained and exported models served by {@link ServingModel}, with real time. */
@Timeout(300)
class ServeTrainedModelsTest {
  private static final String FP = "fp-synthetic";
  private static final List<LabeledRow> ROWS = Synthetic.rows(2000, 1000, 3, false);

  @TempDir Path dir;

  private static TrainOptions options() {
    return TrainOptions.defaults()
        .withModel(ModelType.LOGISTIC)
        .withLearningRate(0.05)
        .withBatchSize(128)
        .withMaxEpochs(10)
        .withPatience(3);
  }

  /** The rows in spec order: the spec produces the model's features reversed, plus one more. */
  private static double[][] specRows(List<String> spec, int count) {
    double[][] rows = new double[count][];
    for (int i = 0; i < count; i++) {
      double[] model = ROWS.get(i).features();
      double[] row = new double[spec.size()];
      for (int j = 0; j < spec.size(); j++) {
        int k = Synthetic.FEATURES.indexOf(spec.get(j));
        row[j] = k < 0 ? 12345 : model[k];
      }
      rows[i] = row;
    }
    return rows;
  }

  @Test
  void servesTheLatestTrainedVersionAndHotReloadsOrRefusesNewOnes() throws Exception {
    Path models = dir.resolve("models/fraud");
    TrainResult v1 = TrainModel.train(Synthetic.input(ROWS, FP), models, options());
    List<String> spec = new ArrayList<>(Synthetic.FEATURES);
    Collections.reverse(spec);
    spec.add(2, "not_in_the_model");
    double[][] rows = specRows(spec, 50);
    double[][] modelOrder = new double[50][];
    for (int i = 0; i < 50; i++) {
      modelOrder[i] = ROWS.get(i).features();
    }

    assertThatThrownBy(() -> ServingModel.open(models, "fp-other", spec, Duration.ofSeconds(1)))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("fp-synthetic")
        .hasMessageContaining("fp-other");

    try (ServingModel serving = ServingModel.open(models, FP, spec, Duration.ofMillis(200))) {
      ServingModel.Scores first = serving.score(rows);
      assertThat(first.model().version()).isEqualTo(1);
      try (Scorer direct = Scorer.load(v1.versionDir())) {
        assertThat(first.scores()).isEqualTo(direct.score(modelOrder));
      }

      TrainResult v2 =
          TrainModel.train(
              Synthetic.input(ROWS, FP),
              models,
              options().withModel(ModelType.MLP).withHidden(List.of(8)));
      assertThat(v2.metadata().version()).isEqualTo(2);
      ServingModel.Scores second = awaitVersion(serving, rows, 2);
      try (Scorer direct = Scorer.load(v2.versionDir())) {
        assertThat(second.scores()).isEqualTo(direct.score(modelOrder));
      }

      // Version 3: a copy of version 2 whose saved_model.pb is garbage.
      ModelStore store = ModelStore.at(models);
      Path staged = store.newStagingDir();
      Files.writeString(staged.resolve("saved_model.pb"), "garbage");
      v2.metadata().withVersion(3).write(staged);
      store.publish(staged, 3);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (serving.refused() == 0 && System.nanoTime() < deadline) {
        assertThat(serving.score(rows).model().version()).isEqualTo(2);
        Thread.sleep(20);
      }
      assertThat(serving.refused()).isEqualTo(1);
      assertThat(serving.refusedVersions().get(3)).contains("cannot load the SavedModel");
      Thread.sleep(500);
      assertThat(serving.score(rows).model().version()).isEqualTo(2);
      assertThat(serving.refused()).as("not retried").isEqualTo(1);
      assertThat(ModelMetadata.read(store.versionDir(3)).version()).isEqualTo(3);
    }
  }

  private static ServingModel.Scores awaitVersion(ServingModel serving, double[][] rows, int v)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      ServingModel.Scores s = serving.score(rows);
      if (s.model().version() == v || System.nanoTime() > deadline) {
        assertThat(s.model().version()).isEqualTo(v);
        return s;
      }
      Thread.sleep(20);
    }
  }
}
