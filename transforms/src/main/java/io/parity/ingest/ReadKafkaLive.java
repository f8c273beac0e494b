package io.parity.ingest;

import io.parity.coders.ParityCoders;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads a live Kafka topic (unbounded) as raw records, starting at given per-partition offsets.
 *
 * <p>The topic must use {@code message.timestamp.type=LogAppendTime}: a record's timestamp is when
 * the broker appended it, which does not decrease within a partition unless the broker's clock
 * steps back (logged as a warning), so the watermark of a partition is its newest record's
 * timestamp. An idle partition (nothing left to read when the reader last fetched the partition's
 * end offset) advances to that fetch time minus {@code idleMargin} (clock skew between broker and
 * reader): every record appended later has a later timestamp.
 */
public final class ReadKafkaLive extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ReadKafkaLive.class);

  /** Where to start a partition that has no start offset. */
  public enum Otherwise {
    EARLIEST,
    LATEST
  }

  private final String bootstrapServers;
  private final String topic;
  private final Map<Integer, Long> startOffsets;
  private final Otherwise otherwise;
  private final Duration idleMargin;
  private final Duration shift;

  private ReadKafkaLive(
      String bootstrapServers,
      String topic,
      Map<Integer, Long> startOffsets,
      Otherwise otherwise,
      Duration idleMargin,
      Duration shift) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.startOffsets = new TreeMap<>(startOffsets);
    this.otherwise = Objects.requireNonNull(otherwise, "otherwise");
    this.idleMargin = Objects.requireNonNull(idleMargin, "idleMargin");
    this.shift = Objects.requireNonNull(shift, "shift");
  }

  /**
   * Reads {@code topic} from {@code startOffsets} (partition -> next offset to read); partitions
   * without one start at {@code otherwise}.
   */
  public static ReadKafkaLive of(
      String bootstrapServers, String topic, Map<Integer, Long> startOffsets, Otherwise otherwise) {
    return new ReadKafkaLive(
        bootstrapServers, topic, startOffsets, otherwise, Duration.millis(50), Duration.ZERO);
  }

  /** Allowance for clock skew between the broker and the reader (default 50 ms). */
  public ReadKafkaLive withIdleMargin(Duration margin) {
    if (margin.getMillis() < 0) {
      throw new IllegalArgumentException("idle margin must not be negative, got " + margin);
    }
    return new ReadKafkaLive(bootstrapServers, topic, startOffsets, otherwise, margin, shift);
  }

  /**
   * Stamps elements {@code delay} after their append time and moves the watermark by as much: for
   * records nothing downstream needs before then (labels with the spec's label apply delay), so an
   * idle partition of this topic holds the job's watermark back {@code delay} less.
   */
  public ReadKafkaLive withTimestampShift(Duration delay) {
    if (delay.getMillis() < 0) {
      throw new IllegalArgumentException("timestamp shift must not be negative, got " + delay);
    }
    return new ReadKafkaLive(bootstrapServers, topic, startOffsets, otherwise, idleMargin, delay);
  }

  public String topic() {
    return topic;
  }

  public Map<Integer, Long> startOffsets() {
    return Map.copyOf(startOffsets);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    long margin = idleMargin.getMillis();
    long shiftMillis = shift.getMillis();
    return input
        .apply(
            "ReadKafka",
            KafkaIO.<String, String>read()
                .withBootstrapServers(bootstrapServers)
                .withTopics(List.of(topic))
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(
                    Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        otherwise == Otherwise.EARLIEST ? "earliest" : "latest",
                        // Hand records over as soon as they are there (latency over batching).
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5,
                        // A cancelled Direct job's readers keep polling; never re-create topics.
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false))
                .withConsumerFactoryFn(SeekingConsumerFactory.of(topic, startOffsets))
                .withTimestampPolicyFactory(
                    (tp, previous) -> new AppendTimePolicy(previous, margin, shiftMillis)))
        .apply("ToRawRecord", ParDo.of(new ReadKafkaRange.ToRawRecordFn()))
        .setCoder(ParityCoders.RawRecordCoder.of());
  }

  /**
   * Element timestamp = the record's (append) timestamp plus the shift; watermark = the newest one
   * seen, or the last end-offset fetch time minus a margin (plus the shift) when the partition has
   * nothing left to read.
   */
  static final class AppendTimePolicy extends TimestampPolicy<String, String> {
    private final long marginMillis;
    private final long shiftMillis;
    private Instant watermark;
    private long behind;

    AppendTimePolicy(Optional<Instant> previous, long marginMillis, long shiftMillis) {
      this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
      this.marginMillis = marginMillis;
      this.shiftMillis = shiftMillis;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<String, String> record) {
      Instant t = new Instant(record.getTimestamp() + shiftMillis);
      if (t.isAfter(watermark)) {
        watermark = t;
      } else if (t.isBefore(watermark)) {
        // Append times went backwards (broker clock step, leader change): this record is late and
        // may be applied after observations batch orders after it. Say so; never hide it.
        behind++;
        if (behind == 1 || behind % 1000 == 0) {
          LOG.warn(
              "{}-{} offset {}: append time {} is behind the watermark {} ({} such records):"
                  + " features may differ from batch (check with parity skew-check)",
              record.getTopic(),
              record.getPartition(),
              record.getOffset(),
              t,
              watermark,
              behind);
        }
      }
      return t;
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      Instant checked = ctx.getBacklogCheckTime();
      if (ctx.getMessageBacklog() == 0
          && checked != null
          && checked.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
        Instant idle = checked.minus(Duration.millis(marginMillis - shiftMillis));
        if (idle.isAfter(watermark)) {
          watermark = idle;
        }
      }
      return watermark;
    }
  }
}
