package io.parity.ingest;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Creates KafkaIO's consumers so that they start the given partitions (key {@code topic-partition})
 * at the given offsets; other partitions follow {@code auto.offset.reset}.
 *
 * <p>KafkaIO assigns the partitions itself; a restored checkpoint seeks after this, so checkpoints
 * still win.
 */
final class SeekingConsumerFactory
    implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
  private static final long serialVersionUID = 1L;
  private final Map<String, Long> seeks;

  private SeekingConsumerFactory(Map<String, Long> seeks) {
    this.seeks = seeks;
  }

  /** Starts partition {@code p} of {@code topic} at {@code offsets.get(p)}. */
  static SeekingConsumerFactory of(String topic, Map<Integer, Long> offsets) {
    Map<String, Long> seeks = new TreeMap<>();
    offsets.forEach((p, o) -> seeks.put(topic + "-" + p, o));
    return new SeekingConsumerFactory(seeks);
  }

  @Override
  public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
    Map<String, Long> offsets = seeks;
    return new KafkaConsumer<byte[], byte[]>(config) {
      @Override
      public void assign(Collection<TopicPartition> partitions) {
        super.assign(partitions);
        for (TopicPartition tp : partitions) {
          Long offset = offsets.get(tp.topic() + "-" + tp.partition());
          if (offset != null) {
            seek(tp, offset);
          }
        }
      }
    };
  }
}
