package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed samples are exactly what the generator produces today. If this fails after a
 * deliberate generator change, run {@link RegenerateSamples} (see the README).
 */
class SampleDataTest {

  private final GeneratedDataset regenerated =
      PaymentGenerator.create(SampleData.config()).generateInMemory();

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = SampleData.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as("resource %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void committedSamplesMatchTheGenerator() throws IOException {
    assertThat(resource(SampleData.EVENTS_JSONL))
        .isEqualTo(TestData.jsonLines(regenerated.events()));
    assertThat(resource(SampleData.EVENTS_CSV)).isEqualTo(TestData.csv(regenerated.events()));
    assertThat(resource(SampleData.LABELS_JSONL))
        .isEqualTo(TestData.jsonLabels(regenerated.labels()));
  }

  @Test
  void samplesAreSmallAndHaveEveryFraudKind() throws IOException {
    for (String name :
        new String[] {
          SampleData.EVENTS_JSONL,
          SampleData.EVENTS_CSV,
          SampleData.LABELS_JSONL,
          SampleData.GROUND_TRUTH_CSV
        }) {
      assertThat(resource(name).length).as(name).isLessThan(1 << 20);
    }
    assertThat(SampleData.events()).hasSizeBetween(2500, 3500).isEqualTo(regenerated.events());
    assertThat(SampleData.labels()).isEqualTo(regenerated.labels());
    Set<FraudKind> kinds = EnumSet.noneOf(FraudKind.class);
    kinds.addAll(SampleData.groundTruth().fraudKinds().values());
    assertThat(kinds).hasSize(4);
  }
}
