package io.parity.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaRangeTest {
  private final KafkaRange range =
      new KafkaRange(
          "payments",
          List.of(
              new KafkaRange.PartitionRange(0, 0, 10),
              new KafkaRange.PartitionRange(1, 5, 7),
              new KafkaRange.PartitionRange(2, 3, 3)));

  @Test
  void startingAtSkipsWhatAReaderHasAlreadyRead() {
    KafkaRange rest = range.startingAt(Map.of(0, 4L, 1, 2L, 2, 3L));
    assertThat(rest.partitions())
        .containsExactly(
            new KafkaRange.PartitionRange(0, 4, 10),
            new KafkaRange.PartitionRange(1, 5, 7),
            new KafkaRange.PartitionRange(2, 3, 3));
    assertThat(rest.totalRecords()).isEqualTo(8);
  }

  @Test
  void resumingPastAPartitionsEndFailsInsteadOfSkippingARecreatedTopic() {
    assertThatThrownBy(() -> range.startingAt(Map.of(2, 9L)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("partition 2 ends at offset 3 but offsets up to 9")
        .hasMessageContaining("re-created");
  }

  @Test
  void theIdNamesEveryPartitionAndItsEndsReadBack() {
    assertThat(range.id()).isEqualTo("kafka:payments/0:0-10/1:5-7/2:3-3");
    assertThat(KafkaRange.endsOf("events:" + range.id(), "payments"))
        .isEqualTo(Map.of(0, 10L, 1, 7L, 2, 3L));
  }

  @Test
  void endsOfIgnoresOtherTopicsAndSources() {
    assertThat(KafkaRange.endsOf("labels:kafka:payments-labels/0:0-4", "payments")).isEmpty();
    assertThat(KafkaRange.endsOf("files:abc123", "payments")).isEmpty();
    assertThat(KafkaRange.endsOf(null, "payments")).isEmpty();
    assertThat(KafkaRange.endsOf("kafka:payments", "payments")).isEmpty();
  }

  @Test
  void aMalformedRangeIdFailsLoudly() {
    assertThatThrownBy(() -> KafkaRange.endsOf("kafka:payments/0:x", "payments"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Kafka range id");
  }
}
