package io.parity.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.lakehouse.training.FeatureStats;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void usesTheFrozenStatisticsWithSafeDefaults() {
    Map<String, FeatureStats> stats =
        Map.of(
            "amount", FeatureStats.of(List.of(10.0, 20.0, 30.0)),
            "constant", FeatureStats.of(List.of(5.0, 5.0)),
            "empty", FeatureStats.of(Arrays.asList(null, null)));
    Normalization n =
        Normalization.fromStatistics(List.of("amount", "constant", "empty", "unknown"), stats);
    assertThat(n.mean()).containsExactly(20.0, 5.0, 0.0, 0.0);
    assertThat(n.stddev()).containsExactly(Math.sqrt(200.0 / 3), 1.0, 1.0, 1.0);
  }

  @Test
  void rejectsUnusableConstants() {
    assertThatThrownBy(() -> new Normalization(List.of(0.0), List.of(0.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stddev 0 must be positive");
    assertThatThrownBy(() -> new Normalization(List.of(0.0, 1.0), List.of(1.0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
