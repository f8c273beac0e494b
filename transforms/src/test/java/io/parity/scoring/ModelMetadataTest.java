package io.parity.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelMetadataTest {
  @TempDir Path dir;

  private static ModelMetadata sample(List<List<Double>> smokeRows, List<Float> scores) {
    return new ModelMetadata(
        ModelMetadata.FORMAT_VERSION,
        "fraud",
        3,
        "mlp",
        java.time.Instant.parse("2026-02-01T10:00:00Z"),
        "fp-1",
        "fraud-v2",
        List.of("amount", "count_1h"),
        ModelMetadata.ServingSignature.DEFAULT,
        new ModelMetadata.Validation(0.93, 0.41, 0.3, 500, 20, 12, 9),
        new ModelMetadata.Training(
            List.of(32, 16), 0.001, 256, 50, 5, 42, 24.0, "averagePrecision", 2000, 80),
        new ModelMetadata.Normalization(List.of(50.0, 1.5), List.of(20.0, 1.0)),
        new ModelMetadata.Smoke(smokeRows, scores));
  }

  @Test
  void roundTripsThroughTheVersionDirectory() {
    ModelMetadata m =
        sample(
            List.of(List.of(12.5, 1.0), java.util.Arrays.asList(null, 3.0)),
            List.of(0.125f, 0.99f));
    Path file = m.write(dir);
    assertThat(file.getFileName().toString()).isEqualTo("parity-model.json");
    assertThat(dir.resolve(".parity-model.json.tmp")).doesNotExist();
    ModelMetadata back = ModelMetadata.read(dir);
    assertThat(back).isEqualTo(m);
    assertThat(back.smoke().inputs()[1][0]).isNaN();
    assertThat(m.toJson()).startsWith("{\n  \"formatVersion\" : 1,\n  \"name\" : \"fraud\"");
  }

  @Test
  void readExplainsWhatIsWrong() throws Exception {
    assertThatThrownBy(() -> ModelMetadata.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("has no parity-model.json");

    Files.writeString(dir.resolve(ModelMetadata.FILE_NAME), "{ not json");
    assertThatThrownBy(() -> ModelMetadata.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(dir.resolve(ModelMetadata.FILE_NAME).toString())
        .hasMessageContaining("is not valid model metadata");

    String wrongWidth =
        sample(List.of(List.of(1.0, 2.0)), List.of(0.5f)).toJson().replace("1.0, 2.0", "1.0");
    Files.writeString(dir.resolve(ModelMetadata.FILE_NAME), wrongWidth);
    assertThatThrownBy(() -> ModelMetadata.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("smoke row 0 has 1 values, not one per feature (2)");
  }

  @Test
  void writeRefusesIncompleteMetadata() {
    ModelMetadata m = sample(List.of(List.of(1.0, 2.0)), List.of(1.5f));
    assertThatThrownBy(() -> m.write(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smoke score 0 (1.5) is not in [0, 1]");
    assertThat(dir.resolve(ModelMetadata.FILE_NAME)).doesNotExist();
  }
}
