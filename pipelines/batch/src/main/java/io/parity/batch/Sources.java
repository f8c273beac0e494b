package io.parity.batch;

import io.parity.events.FieldMapping;
import io.parity.ingest.KafkaRange;
import io.parity.ingest.RawRecord;
import io.parity.ingest.ReadKafkaRange;
import io.parity.ingest.ReadParquetFiles;
import io.parity.ingest.ReadRecordFiles;
import java.time.Duration;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Picks the bounded reader of a batch job's records: a Kafka topic range or files. */
final class Sources {
  private Sources() {}

  /** A planned source and how many records it must yield (-1 when unknown, i.e. files). */
  record Planned(PTransform<PBegin, PCollection<RawRecord>> read, long expectedRecords) {}

  static Planned plan(
      String topic,
      String input,
      String bootstrapServers,
      FieldMapping mapping,
      long maxReadSeconds,
      String what) {
    if ((topic == null) == (input == null)) {
      throw new IllegalArgumentException(
          "give exactly one source for " + what + ": a topic or files");
    }
    if (topic != null) {
      KafkaRange range = KafkaRange.current(bootstrapServers, topic, Duration.ofSeconds(30));
      return new Planned(
          ReadKafkaRange.of(bootstrapServers, range)
              .withMaxReadTime(org.joda.time.Duration.standardSeconds(maxReadSeconds)),
          range.totalRecords());
    }
    return new Planned(
        mapping.format() == FieldMapping.Format.PARQUET
            ? ReadParquetFiles.of(input)
            : ReadRecordFiles.of(input, mapping),
        -1);
  }
}
