package io.parity.batch;

import io.parity.events.FieldMapping;
import io.parity.ingest.KafkaRange;
import io.parity.ingest.RawRecord;
import io.parity.ingest.ReadKafkaRange;
import io.parity.ingest.ReadParquetFiles;
import io.parity.ingest.ReadRecordFiles;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Picks the bounded reader of a batch job's records: a Kafka topic range or files. */
final class Sources {
  private Sources() {}

  /** The matched files with their sizes and modification times, hashed. */
  static String filesId(String pattern) {
    try {
      java.util.List<String> parts = new java.util.ArrayList<>();
      for (org.apache.beam.sdk.io.fs.MatchResult.Metadata m :
          org.apache.beam.sdk.io.FileSystems.match(pattern).metadata()) {
        parts.add(m.resourceId() + ":" + m.sizeBytes() + ":" + m.lastModifiedMillis());
      }
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("no file matches " + pattern);
      }
      java.util.Collections.sort(parts);
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(String.join("\n", parts).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "files:" + java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot list " + pattern + ": " + e.getMessage(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A planned source, how many records it must yield (-1 when unknown, i.e. files), and a stable
   * identifier of exactly what it reads (the lakehouse's idempotency key).
   */
  record Planned(
      PTransform<PBegin, PCollection<RawRecord>> read, long expectedRecords, String sourceId) {}

  /** The payments source of a job's options (a topic from its first stored offsets). */
  static Planned payments(IngestOptions o, FieldMapping mapping) {
    return payments(o, mapping, Map.of());
  }

  /**
   * The payments source of a job's options; a topic's partitions start at {@code resumeAt} (next
   * offset per partition, e.g. after what bronze holds) where given.
   */
  static Planned payments(IngestOptions o, FieldMapping mapping, Map<Integer, Long> resumeAt) {
    return plan(
        o.getTopic(),
        o.getInput(),
        o.getBootstrapServers(),
        mapping,
        o.getMaxReadSeconds(),
        "payments (--topic or --input)",
        resumeAt);
  }

  /** The labels source of a job's options (a topic from its first stored offsets). */
  static Planned labels(FeaturesOptions o, FieldMapping mapping) {
    return labels(o, mapping, Map.of());
  }

  /** The labels source of a job's options, resuming a topic like {@link #payments}. */
  static Planned labels(FeaturesOptions o, FieldMapping mapping, Map<Integer, Long> resumeAt) {
    return plan(
        o.getLabelsTopic(),
        o.getLabels(),
        o.getBootstrapServers(),
        mapping,
        o.getMaxReadSeconds(),
        "labels (--labelsTopic or --labels)",
        resumeAt);
  }

  static Planned plan(
      String topic,
      String input,
      String bootstrapServers,
      FieldMapping mapping,
      long maxReadSeconds,
      String what,
      Map<Integer, Long> resumeAt) {
    if ((topic == null) == (input == null)) {
      throw new IllegalArgumentException(
          "give exactly one source for " + what + ": a topic or files");
    }
    if (topic != null) {
      KafkaRange range =
          KafkaRange.current(bootstrapServers, topic, Duration.ofSeconds(30)).startingAt(resumeAt);
      return new Planned(
          ReadKafkaRange.of(bootstrapServers, range)
              .withMaxReadTime(org.joda.time.Duration.standardSeconds(maxReadSeconds)),
          range.totalRecords(),
          range.id());
    }
    return new Planned(
        mapping.format() == FieldMapping.Format.PARQUET
            ? ReadParquetFiles.of(input)
            : ReadRecordFiles.of(input, mapping),
        -1,
        filesId(input));
  }
}
