package io.parity.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.parity.scoring.ModelMetadata;
import io.parity.scoring.ModelStore;
import io.parity.scoring.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(300)
class TrainModelTest {
  private static final String FP = "fp-synthetic";
  private static final List<LabeledRow> ROWS = Synthetic.rows(3000, 1500, 11, false);

  @TempDir Path dir;
  private final List<String> progress = new ArrayList<>();

  private TrainOptions logistic() {
    return TrainOptions.defaults()
        .withModel(ModelType.LOGISTIC)
        .withLearningRate(0.05)
        .withBatchSize(128)
        .withMaxEpochs(30)
        .withPatience(4)
        .withSeed(7)
        .withProgress(progress::add);
  }

  private TrainOptions mlp() {
    return logistic().withModel(ModelType.MLP).withHidden(List.of(16, 8)).withLearningRate(0.01);
  }

  @Test
  void bothModelTypesLearnTheSignalAndBeatAShuffledLabelControl() {
    TrainResult lr = TrainModel.train(Synthetic.input(ROWS, FP), dir.resolve("fraud"), logistic());
    TrainResult nn = TrainModel.train(Synthetic.input(ROWS, FP), dir.resolve("fraud"), mlp());
    TrainResult control =
        TrainModel.train(
            Synthetic.input(Synthetic.rows(3000, 1500, 11, true), FP),
            dir.resolve("control"),
            mlp());

    System.out.printf(
        Locale.ROOT,
        "synthetic valid ROC-AUC: logistic %.4f (AP %.4f, %d epochs), mlp %.4f (AP %.4f, %d"
            + " epochs), shuffled-label control %.4f (AP %.4f)%n",
        lr.metadata().validation().rocAuc(),
        lr.metadata().validation().averagePrecision(),
        lr.metadata().validation().epochsTrained(),
        nn.metadata().validation().rocAuc(),
        nn.metadata().validation().averagePrecision(),
        nn.metadata().validation().epochsTrained(),
        control.metadata().validation().rocAuc(),
        control.metadata().validation().averagePrecision());
    assertThat(lr.metadata().modelType()).isEqualTo("logistic");
    assertThat(lr.metadata().validation().rocAuc()).isGreaterThan(0.9);
    assertThat(nn.metadata().modelType()).isEqualTo("mlp");
    assertThat(nn.metadata().validation().rocAuc()).isGreaterThan(0.9);
    assertThat(control.metadata().validation().rocAuc())
        .isLessThan(0.65)
        .isLessThan(lr.metadata().validation().rocAuc() - 0.25);
    assertThat(control.metadata().validation().averagePrecision())
        .isLessThan(nn.metadata().validation().averagePrecision() / 2);

    assertThat(lr.versionDir()).isEqualTo(ModelStore.at(dir.resolve("fraud")).versionDir(1));
    assertThat(nn.versionDir()).isEqualTo(ModelStore.at(dir.resolve("fraud")).versionDir(2));
    assertThat(ModelStore.at(dir.resolve("fraud")).versions()).containsExactly(1, 2);
    ModelMetadata m = ModelMetadata.read(nn.versionDir());
    assertThat(m).isEqualTo(nn.metadata());
    assertThat(m.specFingerprint()).isEqualTo(FP);
    assertThat(m.trainingSet()).isEqualTo("synthetic-v1");
    assertThat(m.features()).isEqualTo(Synthetic.FEATURES);
    assertThat(m.training().hidden()).containsExactly(16, 8);
    assertThat(lr.metadata().training().hidden()).isEmpty();
    assertThat(m.training().earlyStopping()).isEqualTo("averagePrecision");
    long trainPositives = ROWS.stream().filter(r -> r.split().equals("train") && r.label()).count();
    assertThat(m.training().positives()).isEqualTo(trainPositives);
    assertThat(m.training().positiveWeight())
        .isCloseTo((3000.0 - trainPositives) / trainPositives, within(1e-12));
    assertThat(m.validation().rows()).isEqualTo(1500);
    assertThat(m.smoke().rows()).hasSize(TrainModel.SMOKE_ROWS);
    assertThat(progress).anyMatch(l -> l.startsWith("epoch   1/30  train loss"));
    assertThat(progress).anyMatch(l -> l.startsWith("published " + nn.versionDir()));
    // No staging directory is left behind.
    assertThat(dir.resolve("fraud").toFile().list()).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void earlyStoppingStopsAndKeepsTheBestEpoch() {
    // A big network on few rows with a high learning rate overfits within a few epochs.
    List<LabeledRow> rows = Synthetic.rows(300, 1500, 5, false);
    TrainOptions options =
        mlp()
            .withHidden(List.of(64, 64))
            .withLearningRate(0.05)
            .withBatchSize(32)
            .withMaxEpochs(60)
            .withPatience(3);
    TrainResult r = TrainModel.train(Synthetic.input(rows, FP), dir.resolve("fraud"), options);
    ModelMetadata.Validation v = r.metadata().validation();
    List<EpochReport> history = r.history();

    assertThat(v.epochsTrained()).isLessThan(60).isEqualTo(history.size());
    assertThat(v.epochsTrained()).isEqualTo(v.bestEpoch() + 3);
    EpochReport best = history.get(v.bestEpoch() - 1);
    assertThat(best.best()).isTrue();
    double maxAp =
        history.stream().mapToDouble(EpochReport::validAveragePrecision).max().orElseThrow();
    assertThat(best.validAveragePrecision()).isEqualTo(maxAp);
    for (EpochReport later : history.subList(v.bestEpoch(), history.size())) {
      assertThat(later.validAveragePrecision()).isLessThanOrEqualTo(maxAp);
      assertThat(later.best()).isFalse();
    }
    // The exported model is the best epoch's, not the last one's.
    assertThat(v.averagePrecision()).isCloseTo(best.validAveragePrecision(), within(1e-4));
    assertThat(v.rocAuc()).isCloseTo(best.validRocAuc(), within(1e-4));
    EpochReport last = history.get(history.size() - 1);
    assertThat(last.validAveragePrecision()).isLessThanOrEqualTo(best.validAveragePrecision());
    assertThat(progress).anyMatch(l -> l.startsWith("early stop after epoch " + v.epochsTrained()));
  }

  @Test
  void theExportedModelReloadsAndScoresIdenticallyAndTrainingIsDeterministic() {
    TrainingInput input = Synthetic.input(ROWS, FP);
    TrainOptions options = mlp();
    try (TrainedModel a =
            Trainer.train("synthetic-v1", input.features(), input.normalization(), ROWS, options);
        TrainedModel b =
            Trainer.train("synthetic-v1", input.features(), input.normalization(), ROWS, options)) {
      assertThat(b.bestEpoch()).isEqualTo(a.bestEpoch());
      for (int l = 0; l < a.weights().weights().size(); l++) {
        assertThat(b.weights().weights().get(l)).isDeepEqualTo(a.weights().weights().get(l));
        assertThat(b.weights().biases().get(l)).isEqualTo(a.weights().biases().get(l));
      }
      TrainResult published = TrainModel.train(input, dir.resolve("fraud"), options);
      double[][] valid = a.validRows();
      float[] inMemory = a.score(valid);
      try (Scorer scorer = Scorer.load(published.versionDir())) {
        float[] reloaded = scorer.score(valid);
        assertThat(bits(reloaded)).isEqualTo(bits(inMemory));
        ModelMetadata.Smoke smoke = published.metadata().smoke();
        float[] smokeAgain = scorer.score(smoke.inputs());
        for (int i = 0; i < smokeAgain.length; i++) {
          assertThat(smokeAgain[i]).isEqualTo(smoke.scores().get(i));
        }
      }
      // A different seed gives a different model.
      try (TrainedModel c =
          Trainer.train(
              "synthetic-v1", input.features(), input.normalization(), ROWS, options.withSeed(8))) {
        assertThat(c.weights().weights().get(0)).isNotEqualTo(a.weights().weights().get(0));
      }
    }
  }

  @Test
  void theGraphNormalizesRawValues() {
    TrainingInput input = Synthetic.input(ROWS, FP);
    Normalization norm = input.normalization();
    TrainResult published = TrainModel.train(input, dir.resolve("fraud"), logistic());
    try (TrainedModel model =
            Trainer.train("synthetic-v1", input.features(), norm, ROWS, logistic());
        Scorer scorer = Scorer.load(published.versionDir())) {
      float[][] w = model.weights().weights().get(0);
      float b = model.weights().biases().get(0)[0];
      double[][] rows = new double[ROWS.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = ROWS.get(i).features();
      }
      float[] scores = scorer.score(rows);
      for (int i = 0; i < rows.length; i++) {
        double logit = b;
        for (int j = 0; j < rows[i].length; j++) {
          double x = Double.isFinite(rows[i][j]) ? rows[i][j] : norm.mean().get(j);
          logit += w[j][0] * (x - norm.mean().get(j)) / norm.stddev().get(j);
        }
        assertThat((double) scores[i]).as("row " + i).isCloseTo(sigmoid(logit), within(2e-6));
      }
      // The means score like the bias alone; a missing value is the mean.
      double[] means = norm.mean().stream().mapToDouble(Double::doubleValue).toArray();
      double[] missing = means.clone();
      missing[0] = Double.NaN;
      missing[2] = Double.POSITIVE_INFINITY;
      float[] s = scorer.score(new double[][] {means, missing});
      assertThat((double) s[0]).isCloseTo(sigmoid(b), within(1e-6));
      assertThat(s[1]).isEqualTo(s[0]);
      // Normalized values fed as raw would be far off: the graph does not expect them.
      double[] normalizedZero = new double[means.length];
      assertThat(Math.abs(scorer.score(new double[][] {normalizedZero})[0] - s[0]))
          .isGreaterThan(1e-3f);
      assertThat(published.metadata().normalization().mean()).isEqualTo(norm.mean());
      assertThat(published.metadata().normalization().stddev()).isEqualTo(norm.stddev());
    }
  }

  @Test
  void scoresAcrossMicroBatchSizes() {
    // The shape of a realistic model: 12 features, hidden layers 32 and 16.
    TrainResult published =
        TrainModel.train(
            Synthetic.input(ROWS, FP), dir.resolve("fraud"), mlp().withHidden(List.of(32, 16)));
    double[][] rows = new double[1024][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = ROWS.get(i).features();
    }
    try (Scorer scorer = Scorer.load(published.versionDir())) {
      float[] whole = scorer.score(rows);
      for (int batch : new int[] {1, 7, 512}) {
        float[] parts = new float[rows.length];
        for (int start = 0; start < rows.length; start += batch) {
          int size = Math.min(batch, rows.length - start);
          float[] s = scorer.score(Arrays.copyOfRange(rows, start, start + size));
          System.arraycopy(s, 0, parts, start, size);
        }
        int differing = 0;
        double worst = 0;
        for (int i = 0; i < rows.length; i++) {
          if (Float.floatToIntBits(parts[i]) != Float.floatToIntBits(whole[i])) {
            differing++;
            worst = Math.max(worst, Math.abs((double) parts[i] - whole[i]));
          }
        }
        System.out.printf(
            Locale.ROOT,
            "mlp scores in batches of %d vs one batch of %d: %d of %d rows differ bitwise,"
                + " max |diff| %.3g%n",
            batch,
            rows.length,
            differing,
            rows.length,
            worst);
        assertThat(worst).as("batch " + batch).isLessThanOrEqualTo(1e-6);
      }
    }
  }

  @Test
  void refusesSetsWithoutTrainAndValidOrWithOneClass() {
    assertThatThrownBy(
            () ->
                new TrainingInput(
                    "fraud-v3",
                    FP,
                    Synthetic.FEATURES,
                    Normalization.identity(Synthetic.FEATURES.size()),
                    List.of("train", "test"),
                    ROWS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("training set fraud-v3 has splits [train, test]")
        .hasMessageContaining("--split train:FROM..TO,valid:FROM..TO");

    List<LabeledRow> noFraudInValid = new ArrayList<>();
    for (LabeledRow r : ROWS) {
      noFraudInValid.add(
          r.split().equals("valid") ? new LabeledRow(r.features(), false, "valid") : r);
    }
    assertThatThrownBy(
            () ->
                TrainModel.train(
                    Synthetic.input(noFraudInValid, FP), dir.resolve("fraud"), logistic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "the valid split of training set synthetic-v1 has 0 fraud rows of 1500");
    assertThat(ModelStore.at(dir.resolve("fraud")).versions()).isEmpty();
  }

  private static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = Float.floatToIntBits(values[i]);
    }
    return b;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
