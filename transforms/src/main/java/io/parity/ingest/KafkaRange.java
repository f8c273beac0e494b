package io.parity.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The offsets of a topic at one moment: per partition, the first offset still stored and the next
 * offset to be written. Reading exactly this range makes a batch over Kafka bounded and
 * reproducible even while producers keep writing.
 */
public record KafkaRange(String topic, List<PartitionRange> partitions) implements Serializable {

  /** Offsets {@code [start, end)} of one partition. */
  public record PartitionRange(int partition, long start, long end) implements Serializable {
    public long count() {
      return end - start;
    }
  }

  /**
   * The same range without what a reader already has: partition {@code p} starts at {@code
   * next.get(p)} when that is later than its start.
   *
   * @throws IllegalStateException when a partition's {@code next} is past its end (the topic was
   *     re-created: continuing would skip its records)
   */
  public KafkaRange startingAt(Map<Integer, Long> next) {
    List<PartitionRange> rest = new ArrayList<>();
    for (PartitionRange p : partitions) {
      long resume = next.getOrDefault(p.partition(), p.start());
      if (resume > p.end()) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " partition "
                + p.partition()
                + " ends at offset "
                + p.end()
                + " but offsets up to "
                + resume
                + " were already consumed: was the topic deleted and re-created? Its new records"
                + " would be skipped; ingest it into a new warehouse or under a new topic name");
      }
      long from = Math.max(p.start(), resume);
      rest.add(new PartitionRange(p.partition(), from, p.end()));
    }
    return new KafkaRange(topic, List.copyOf(rest));
  }

  /**
   * A stable identifier of exactly this range, {@code kafka:<topic>/<partition>:<start>-<end>/...}
   * (the lakehouse records it with each append, so a consumed range is known later).
   */
  public String id() {
    StringBuilder id = new StringBuilder("kafka:").append(topic);
    for (PartitionRange p : partitions) {
      id.append('/')
          .append(p.partition())
          .append(':')
          .append(p.start())
          .append('-')
          .append(p.end());
    }
    return id.toString();
  }

  /**
   * The end offset per partition of the range whose {@link #id()} ends {@code text} (after any
   * prefix), or an empty map when {@code text} is not a range of {@code topic}.
   */
  public static Map<Integer, Long> endsOf(String text, String topic) {
    String marker = "kafka:" + topic + "/";
    int at = text == null ? -1 : text.indexOf(marker);
    Map<Integer, Long> ends = new HashMap<>();
    if (at < 0 || (at > 0 && text.charAt(at - 1) != ':')) {
      return ends;
    }
    String rest = text.substring(at + marker.length());
    if (rest.isEmpty()) {
      return ends;
    }
    for (String part : rest.split("/")) {
      int colon = part.indexOf(':');
      int dash = part.indexOf('-', colon);
      if (colon < 0 || dash < 0) {
        throw new IllegalArgumentException("not a Kafka range id: " + text);
      }
      ends.put(
          Integer.parseInt(part.substring(0, colon)), Long.parseLong(part.substring(dash + 1)));
    }
    return ends;
  }

  public long totalRecords() {
    return partitions.stream().mapToLong(PartitionRange::count).sum();
  }

  /**
   * Looks up the current range of {@code topic}.
   *
   * @throws IllegalArgumentException if the topic does not exist
   * @throws org.apache.kafka.common.KafkaException if the broker cannot be reached in time
   */
  public static KafkaRange current(String bootstrapServers, String topic, Duration timeout) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "Kafka topic '" + topic + "' does not exist on " + bootstrapServers);
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo p : infos) {
        tps.add(new TopicPartition(topic, p.partition()));
      }
      tps.sort(Comparator.comparingInt(TopicPartition::partition));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
      List<PartitionRange> ranges = new ArrayList<>();
      for (TopicPartition tp : tps) {
        ranges.add(new PartitionRange(tp.partition(), begin.get(tp), end.get(tp)));
      }
      return new KafkaRange(topic, List.copyOf(ranges));
    }
  }
}
