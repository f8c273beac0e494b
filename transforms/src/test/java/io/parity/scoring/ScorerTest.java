package io.parity.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ScorerTest {
  private static final List<String> FEATURES = List.of("amount", "count_1h", "merchant_risk");

  @TempDir Path dir;

  @Test
  void scoresRawRowsWithTheNormalizationInTheGraph() {
    TestModels.Spec spec = TestModels.spec("fp-1", FEATURES);
    Path v1 = dir.resolve("1");
    TestModels.write(v1, spec, 1);
    try (Scorer scorer = Scorer.load(v1)) {
      assertThat(scorer.width()).isEqualTo(3);
      assertThat(scorer.metadata().features()).isEqualTo(FEATURES);
      double[][] rows = {
        {0, 10, 20}, {15.5, 3, 40}, {-7, 12, 19}, {Double.NaN, 10, Double.POSITIVE_INFINITY}
      };
      float[] scores = scorer.score(rows);
      assertThat(scores).hasSize(4);
      for (int i = 0; i < rows.length; i++) {
        assertThat((double) scores[i])
            .as("row " + i)
            .isCloseTo(spec.expected(rows[i]), within(1e-6));
      }
      // Missing and infinite values are imputed with the mean: the row scores like the means.
      assertThat((double) scores[3])
          .isCloseTo(spec.expected(new double[] {0, 10, 20}), within(1e-6));
      assertThat(scorer.score(new double[0][])).isEmpty();
      assertThatThrownBy(() -> scorer.score(new double[][] {{1, 2}}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("row 0 has 2 values")
          .hasMessageContaining("takes 3 [amount, count_1h, merchant_risk]");
    }
  }

  @Test
  void refusesAMissingOrGarbageSavedModel() throws Exception {
    Path v = dir.resolve("1");
    TestModels.write(v, TestModels.spec("fp-1", FEATURES), 1);
    Path pb = v.resolve("saved_model.pb");
    byte[] good = Files.readAllBytes(pb);

    Files.delete(pb);
    assertThatThrownBy(() -> Scorer.load(v))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(v.toString())
        .hasMessageContaining("has no saved_model.pb");

    Files.writeString(pb, "this is not a protocol buffer, just garbage\n".repeat(20));
    assertThatThrownBy(() -> Scorer.load(v))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("cannot load the SavedModel in " + v);

    Files.write(pb, good);
    Files.delete(v.resolve(ModelMetadata.FILE_NAME));
    assertThatThrownBy(() -> Scorer.load(v))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("has no parity-model.json");

    assertThatThrownBy(() -> Scorer.load(dir.resolve("9")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void refusesASmokeMismatch() {
    Path v = dir.resolve("1");
    ModelMetadata m = TestModels.write(v, TestModels.spec("fp-1", FEATURES), 1);
    List<Float> off = new ArrayList<>(m.smoke().scores());
    off.set(2, off.get(2) + 0.01f);
    withSmoke(m, off).write(v);
    assertThatThrownBy(() -> Scorer.load(v))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model version " + v)
        .hasMessageContaining("smoke mismatch: row 2 scored")
        .hasMessageContaining("do not belong together");

    // Within the tolerance is accepted.
    List<Float> close = new ArrayList<>(m.smoke().scores());
    close.set(2, Math.nextUp(close.get(2)));
    withSmoke(m, close).write(v);
    try (Scorer scorer = Scorer.load(v)) {
      assertThat(scorer.metadata().smoke().scores()).isEqualTo(close);
    }
  }

  @Test
  void refusesMetadataOfAnotherInputWidth() {
    Path v = dir.resolve("1");
    TestModels.write(v, TestModels.spec("fp-1", FEATURES.subList(0, 2)), 1);
    // Metadata of a 3-feature model beside a 2-feature graph.
    Path other = dir.resolve("other");
    ModelMetadata three = TestModels.write(other, TestModels.spec("fp-1", FEATURES), 1);
    three.write(v);
    assertThatThrownBy(() -> Scorer.load(v))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("wrong input")
        .hasMessageContaining("[-1, 2]")
        .hasMessageContaining("lists 3 features");
  }

  private static ModelMetadata withSmoke(ModelMetadata m, List<Float> scores) {
    return new ModelMetadata(
        m.formatVersion(),
        m.name(),
        m.version(),
        m.modelType(),
        m.createdAt(),
        m.specFingerprint(),
        m.trainingSet(),
        m.features(),
        m.signature(),
        m.validation(),
        m.training(),
        m.normalization(),
        new ModelMetadata.Smoke(m.smoke().rows(), scores));
  }
}
