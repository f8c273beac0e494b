package io.parity.testdata;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends payments and labels to Kafka as JSON lines (UTF-8 strings), with the record timestamp set
 * to the event time (payments) or label time (labels), optionally at a fixed rate.
 *
 * <p>Payments are keyed by card id, labels by event id; the partition is the producer's key hash
 * unless a partition chooser is set. Each {@code send} call opens a producer, sends everything,
 * flushes and closes it; any failed send fails the call with {@link KafkaProduceException}.
 */
public final class KafkaPaymentProducer {

  /** Sleeps until a {@link System#nanoTime()} deadline; replaceable in tests. */
  interface Pacer {
    void awaitNanos(long deadlineNanos) throws InterruptedException;
  }

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<Producer<String, String>> producers;
  private final double recordsPerSecond;
  private final ToIntFunction<PaymentEvent> eventPartitioner;
  private final ToIntFunction<LabelEvent> labelPartitioner;
  private final LongSupplier nanoClock;
  private final Pacer pacer;

  private KafkaPaymentProducer(
      Supplier<Producer<String, String>> producers,
      double recordsPerSecond,
      ToIntFunction<PaymentEvent> eventPartitioner,
      ToIntFunction<LabelEvent> labelPartitioner,
      LongSupplier nanoClock,
      Pacer pacer) {
    this.producers = producers;
    this.recordsPerSecond = recordsPerSecond;
    this.eventPartitioner = eventPartitioner;
    this.labelPartitioner = labelPartitioner;
    this.nanoClock = nanoClock;
    this.pacer = pacer;
  }

  /** A producer for the brokers at {@code bootstrapServers} (acks=all, idempotent). */
  public static KafkaPaymentProducer to(String bootstrapServers) {
    return to(bootstrapServers, Map.of());
  }

  /**
   * A producer for the brokers at {@code bootstrapServers}, with extra Kafka producer properties
   * (they override the defaults; serializers are always strings).
   */
  public static KafkaPaymentProducer to(String bootstrapServers, Map<String, Object> properties) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putAll(properties);
    Map<String, Object> frozen = Map.copyOf(config);
    return using(() -> new KafkaProducer<>(frozen, new StringSerializer(), new StringSerializer()));
  }

  /** A producer that sends through producers from {@code factory} (e.g. a MockProducer). */
  public static KafkaPaymentProducer using(Supplier<Producer<String, String>> factory) {
    Objects.requireNonNull(factory, "factory");
    return new KafkaPaymentProducer(
        factory, 0, null, null, System::nanoTime, KafkaPaymentProducer::sleepUntil);
  }

  /** Records per second; 0 or negative sends as fast as possible (the default). */
  public KafkaPaymentProducer withRate(double recordsPerSecond) {
    if (Double.isNaN(recordsPerSecond) || Double.isInfinite(recordsPerSecond)) {
      throw new IllegalArgumentException(
          "recordsPerSecond must be a finite number, was " + recordsPerSecond);
    }
    return new KafkaPaymentProducer(
        producers, recordsPerSecond, eventPartitioner, labelPartitioner, nanoClock, pacer);
  }

  /** Chooses the partition of each payment (instead of hashing the card id). */
  public KafkaPaymentProducer withEventPartitioner(ToIntFunction<PaymentEvent> partitioner) {
    Objects.requireNonNull(partitioner, "partitioner");
    return new KafkaPaymentProducer(
        producers, recordsPerSecond, partitioner, labelPartitioner, nanoClock, pacer);
  }

  /** Chooses the partition of each label (instead of hashing the event id). */
  public KafkaPaymentProducer withLabelPartitioner(ToIntFunction<LabelEvent> partitioner) {
    Objects.requireNonNull(partitioner, "partitioner");
    return new KafkaPaymentProducer(
        producers, recordsPerSecond, eventPartitioner, partitioner, nanoClock, pacer);
  }

  /** For tests: a fake clock and pacer, so that rate limiting is checked without waiting. */
  KafkaPaymentProducer withClock(LongSupplier nanoClock, Pacer pacer) {
    return new KafkaPaymentProducer(
        producers, recordsPerSecond, eventPartitioner, labelPartitioner, nanoClock, pacer);
  }

  public double rate() {
    return recordsPerSecond;
  }

  /**
   * Sends every payment to {@code topic}: key card id, value its JSON line, timestamp its event
   * time. Returns how many were sent (and acknowledged: the producer is flushed).
   */
  public long sendEvents(String topic, Iterator<? extends PaymentEvent> events)
      throws InterruptedException {
    return send(
        topic,
        events,
        event ->
            new ProducerRecord<>(
                topic,
                eventPartitioner == null ? null : eventPartitioner.applyAsInt(event),
                event.eventTimeMillis(),
                event.cardId(),
                JsonLinesCodec.toJson(event)));
  }

  /**
   * Sends every label to {@code topic}: key event id, value its JSON line, timestamp its label
   * time. Returns how many were sent.
   */
  public long sendLabels(String topic, Iterator<? extends LabelEvent> labels)
      throws InterruptedException {
    return send(
        topic,
        labels,
        label ->
            new ProducerRecord<>(
                topic,
                labelPartitioner == null ? null : labelPartitioner.applyAsInt(label),
                label.labelTimeMillis(),
                label.eventId(),
                JsonLinesCodec.toJson(label)));
  }

  private <T> long send(
      String topic,
      Iterator<? extends T> records,
      Function<T, ProducerRecord<String, String>> toRecord)
      throws InterruptedException {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(records, "records");
    Producer<String, String> producer = producers.get();
    long sent;
    try {
      sent = sendAll(producer, topic, records, toRecord);
    } catch (RuntimeException | InterruptedException | Error e) {
      try {
        producer.close(CLOSE_TIMEOUT);
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    producer.close(CLOSE_TIMEOUT);
    return sent;
  }

  private <T> long sendAll(
      Producer<String, String> producer,
      String topic,
      Iterator<? extends T> records,
      Function<T, ProducerRecord<String, String>> toRecord)
      throws InterruptedException {
    AtomicReference<KafkaProduceException> failure = new AtomicReference<>();
    long sent = 0;
    long startNanos = nanoClock.getAsLong();
    double nanosPerRecord = recordsPerSecond > 0 ? 1e9 / recordsPerSecond : 0;
    while (records.hasNext()) {
      T value = records.next();
      if (nanosPerRecord > 0) {
        // Pace against the start, not the previous record, so that short stalls catch up.
        long deadline = startNanos + (long) (sent * nanosPerRecord);
        if (deadline - nanoClock.getAsLong() > 0) {
          pacer.awaitNanos(deadline);
        }
      }
      ProducerRecord<String, String> record = toRecord.apply(value);
      long position = sent;
      producer.send(
          record,
          (metadata, exception) -> {
            if (exception != null) {
              failure.compareAndSet(
                  null,
                  new KafkaProduceException(
                      "failed to send record "
                          + position
                          + " (key "
                          + record.key()
                          + ") to topic "
                          + topic,
                      exception));
            }
          });
      sent++;
      throwIfFailed(failure);
    }
    producer.flush();
    throwIfFailed(failure);
    return sent;
  }

  private static void throwIfFailed(AtomicReference<KafkaProduceException> failure) {
    KafkaProduceException exception = failure.get();
    if (exception != null) {
      throw exception;
    }
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long remaining = deadlineNanos - System.nanoTime();
    while (remaining > 0) {
      Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
      remaining = deadlineNanos - System.nanoTime();
    }
  }
}
