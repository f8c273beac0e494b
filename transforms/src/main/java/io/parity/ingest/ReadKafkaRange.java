package io.parity.ingest;

import io.parity.coders.ParityCoders;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;

/**
 * Reads exactly a planned {@link KafkaRange} of a topic as a bounded collection of raw records.
 *
 * <p>Each partition is its own KafkaIO read limited to that partition's record count: KafkaIO
 * splits a record limit evenly over its readers, so one read over uneven partitions would wait
 * forever on the short ones. A read that hits {@code maxReadTime} before its count would end early;
 * the counter {@code kafka_records_read} lets the job compare what it read with {@link
 * KafkaRange#totalRecords()} and fail loudly instead of losing records.
 *
 * <p>Each partition's read starts at the range's start offset (e.g. after what bronze already
 * holds, {@link KafkaRange#startingAt}); the topic must not be written transactionally (transaction
 * markers take offsets, so a count of records would overrun the range).
 */
public final class ReadKafkaRange extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final KafkaRange range;
  private final Duration maxReadTime;

  private ReadKafkaRange(String bootstrapServers, KafkaRange range, Duration maxReadTime) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.range = Objects.requireNonNull(range, "range");
    this.maxReadTime = Objects.requireNonNull(maxReadTime, "maxReadTime");
  }

  public static ReadKafkaRange of(String bootstrapServers, KafkaRange range) {
    return new ReadKafkaRange(bootstrapServers, range, Duration.standardMinutes(30));
  }

  /** Upper bound on the time one partition's read may take; reaching it fails the job. */
  public ReadKafkaRange withMaxReadTime(Duration maxReadTime) {
    if (maxReadTime.isShorterThan(Duration.standardSeconds(1))) {
      throw new IllegalArgumentException("maxReadTime must be at least 1 s, got " + maxReadTime);
    }
    return new ReadKafkaRange(bootstrapServers, range, maxReadTime);
  }

  public KafkaRange range() {
    return range;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    PCollectionList<RawRecord> parts = PCollectionList.empty(input.getPipeline());
    for (KafkaRange.PartitionRange p : range.partitions()) {
      if (p.count() == 0) {
        continue;
      }
      String name = "Partition" + p.partition();
      PCollection<RawRecord> part =
          input
              .apply(
                  "Read" + name,
                  KafkaIO.<String, String>read()
                      .withBootstrapServers(bootstrapServers)
                      .withTopicPartitions(
                          List.of(new TopicPartition(range.topic(), p.partition())))
                      .withKeyDeserializer(StringDeserializer.class)
                      .withValueDeserializer(StringDeserializer.class)
                      .withConsumerConfigUpdates(
                          Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))
                      .withConsumerFactoryFn(
                          SeekingConsumerFactory.of(
                              range.topic(), Map.of(p.partition(), p.start())))
                      // Element timestamp = record timestamp: on Parity's LogAppendTime topics the
                      // broker's append time, monotonic per partition, so the watermark is exact.
                      .withTimestampPolicyFactory(
                          (tp, previous) ->
                              new org.apache.beam.sdk.io.kafka
                                      .CustomTimestampPolicyWithLimitedDelay<
                                  String, String>(
                                  rec -> new org.joda.time.Instant(rec.getTimestamp()),
                                  Duration.ZERO,
                                  previous))
                      .withMaxNumRecords(p.count())
                      .withMaxReadTime(maxReadTime))
              .apply("ToRawRecord" + name, ParDo.of(new ToRawRecordFn()))
              .setCoder(ParityCoders.RawRecordCoder.of());
      parts = parts.and(part);
    }
    if (parts.size() == 0) {
      return input.apply("EmptyTopic", Create.empty(ParityCoders.RawRecordCoder.of()));
    }
    return parts.apply("FlattenPartitions", Flatten.pCollections());
  }

  static final class ToRawRecordFn extends DoFn<KafkaRecord<String, String>, RawRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter read =
        Metrics.counter(ParseEvents.METRICS_NAMESPACE, "kafka_records_read");

    @ProcessElement
    public void process(@Element KafkaRecord<String, String> r, OutputReceiver<RawRecord> out) {
      read.inc();
      // A null value (a tombstone) is still a record: it becomes a dead letter downstream.
      String value = r.getKV().getValue() == null ? "" : r.getKV().getValue();
      out.output(
          RawRecord.fromKafka(
              r.getTopic(), r.getPartition(), r.getOffset(), r.getTimestamp(), value));
    }
  }
}
