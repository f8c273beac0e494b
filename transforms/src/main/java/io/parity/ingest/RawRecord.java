package io.parity.ingest;

import io.parity.features.Arrival;
import java.util.List;
import java.util.Objects;

/**
 * One record exactly as received, with where it came from: a Kafka topic partition and offset, or a
 * file and line number (partition {@code -1}). Its position is what makes every record accountable
 * (a parsed event or a dead letter) and what lets batch replay the arrival order.
 *
 * @param source {@code kafka:<topic>} or the file path
 * @param partition Kafka partition, or -1 for files
 * @param offset Kafka offset, or the 1-based line (record) number in a file
 * @param payload the record's text (a JSON object, or a CSV line)
 * @param header CSV column names when the record is a CSV line from a file with a header, else null
 * @param ingestTimeMillis the Kafka record timestamp (the broker's append time on Parity's
 *     LogAppendTime topics), or {@link Arrival#UNKNOWN} for files
 */
public record RawRecord(
    String source,
    int partition,
    long offset,
    String payload,
    List<String> header,
    long ingestTimeMillis) {

  public RawRecord {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
  }

  public static RawRecord fromKafka(
      String topic, int partition, long offset, long timestampMillis, String payload) {
    return new RawRecord("kafka:" + topic, partition, offset, payload, null, timestampMillis);
  }

  public static RawRecord fromFile(String file, long line, String payload, List<String> header) {
    return new RawRecord(file, -1, line, payload, header, Arrival.UNKNOWN);
  }

  /** {@code topic/partition@offset} or {@code file:line}, for messages. */
  public String position() {
    return partition >= 0 ? source + "/" + partition + "@" + offset : source + ":" + offset;
  }
}
