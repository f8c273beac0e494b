package io.parity.bench;

import io.parity.events.EventParser;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.ParseResult;
import io.parity.events.PaymentEvent;
import io.parity.features.EntityHistory;
import io.parity.features.FeatureEngine;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.FeatureRows;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.DeadLetterJson;
import io.parity.ingest.RawRecord;
import io.parity.ingest.RecordDecoder;
import io.parity.lakehouse.CatalogOptions;
import io.parity.privacy.CardTokenizer;
import io.parity.scoring.ScorePayments;
import io.parity.scoring.ScoredPayment;
import io.parity.scoring.ServingModel;
import io.parity.scoring.Thresholds;
import io.parity.streaming.StreamOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The speed layer's latency floor: the same work as {@code parity stream} (cold start) without
 * Beam, in one thread: a Kafka consumer -> the same record decoder, parser and card tokenizer ->
 * the shared {@link FeatureEngine} over per-entity histories in hash maps -> the same TensorFlow
 * model (one call per poll) -> the scores, feature-log and dead-letter topics with the same
 * producer defaults. Options are {@code parity stream}'s own ({@link StreamOptions}).
 *
 * <p>It is a benchmark floor, not a second speed layer: it applies payments in the order it polls
 * them, without waiting for a watermark, so on out-of-order input its features may differ from the
 * exact ones; it keeps no checkpoint; duplicate ids are dead-lettered like everything it cannot
 * apply. It exists so every Beam figure is reported beside what the hardware, the broker and the
 * engine alone allow.
 */
public final class PlainSpeedLayer implements AutoCloseable {

  private final StreamOptions options;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean positioned = new AtomicBoolean();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  private PlainSpeedLayer(StreamOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.thread = new Thread(this::runCatching, "parity-plain-speed-layer");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the loop on its own thread, reading every input partition from its current end (a cold
   * start, as {@code parity stream --no-warm-start}). Returns once it is positioned.
   */
  public static PlainSpeedLayer start(StreamOptions options) throws InterruptedException {
    if (options.getWarmStart()) {
      throw new IllegalArgumentException("the plain loop starts cold only: pass --no-warm-start");
    }
    PlainSpeedLayer loop = new PlainSpeedLayer(options);
    loop.thread.start();
    while (!loop.positioned.get() && loop.thread.isAlive()) {
      Thread.sleep(10);
    }
    loop.rethrowFailure();
    return loop;
  }

  /** Whether the loop has stopped (by {@link #close()} or a failure). */
  public boolean isStopped() {
    return !thread.isAlive();
  }

  /** Throws the loop's failure, if it failed. */
  public void rethrowFailure() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("the plain speed layer failed: " + t, t);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(30_000);
    rethrowFailure();
  }

  private void runCatching() {
    try {
      run();
    } catch (Throwable t) {
      failure.set(t);
    } finally {
      positioned.set(true);
    }
  }

  /** A payment remembered for the label join: when it was applied and its entity keys. */
  private record Applied(long processingTime, String[] keys) {}

  /** A joined label waiting for its processing time. */
  private record DueLabel(long processingTime, LabelEvent label, String[] keys) {}

  /** A label that arrived before its payment, with its own arrival (ingest) time. */
  private record EarlyLabel(LabelEvent label, long ingestTimeMillis) {}

  private void run() throws Exception {
    StreamOptions o = options;
    FeatureSpec spec = SpecFile.load(Path.of(o.getSpec()));
    String fingerprint = SpecFingerprint.of(spec);
    FeatureEngine engine = new FeatureEngine(spec);
    FieldMapping mapping = FieldMapping.load(Path.of(o.getMapping()));
    FieldMapping labelsMapping =
        o.getLabelsTopic() == null ? null : FieldMapping.load(Path.of(o.getLabelsMapping()));
    RecordDecoder decoder = new RecordDecoder(mapping);
    EventParser parser = new EventParser(mapping);
    RecordDecoder labelDecoder = labelsMapping == null ? null : new RecordDecoder(labelsMapping);
    EventParser labelParser = labelsMapping == null ? null : new EventParser(labelsMapping);
    CardTokenizer tokenizer = CatalogOptions.tokenizer(o.getTokenKeyFile());
    Thresholds thresholds = new Thresholds(o.getReviewThreshold(), o.getDeclineThreshold());
    boolean featureLog = o.getFeaturesTopic() != null && !o.getFeaturesTopic().isEmpty();

    List<String> entities = engine.entities();
    List<Map<String, EntityHistory>> histories = new ArrayList<>();
    entities.forEach(e -> histories.add(new HashMap<>()));
    Map<String, Applied> applied = new HashMap<>();
    ArrayDeque<String> appliedOrder = new ArrayDeque<>();
    Map<String, List<EarlyLabel>> early = new HashMap<>();
    PriorityQueue<DueLabel> dueLabels =
        new PriorityQueue<>((a, b) -> Long.compare(a.processingTime(), b.processingTime()));
    long retention = engine.maxRetentionMillis();

    try (ServingModel model =
            ScorePayments.with(Path.of(o.getModelDir()), spec, thresholds)
                .withPollInterval(Duration.ofSeconds(o.getModelPollSeconds()))
                .open();
        KafkaConsumer<String, String> consumer = consumer(o.getBootstrapServers());
        KafkaProducer<String, String> producer = producer(o.getBootstrapServers())) {
      List<TopicPartition> partitions = new ArrayList<>(partitions(consumer, o.getTopic()));
      if (o.getLabelsTopic() != null) {
        partitions.addAll(partitions(consumer, o.getLabelsTopic()));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      positioned.set(true);

      List<PaymentEvent> batch = new ArrayList<>();
      List<double[]> rows = new ArrayList<>();
      List<long[]> stamps = new ArrayList<>(); // processing time, read at, features at
      while (!stop.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
        long readAt = System.currentTimeMillis();
        for (ConsumerRecord<String, String> r : records) {
          RawRecord raw =
              RawRecord.fromKafka(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value());
          boolean isLabel = r.topic().equals(o.getLabelsTopic());
          ParseResult parsed;
          try {
            parsed =
                isLabel
                    ? labelParser.parse(labelDecoder.decode(raw))
                    : parser.parse(decoder.decode(raw));
          } catch (RecordDecoder.MalformedRecordException e) {
            deadLetter(producer, DeadLetter.of(raw, "decode", e.getMessage()));
            continue;
          }
          if (!parsed.isValid()) {
            deadLetter(producer, DeadLetter.of(raw, "validate", parsed.error()));
            continue;
          }
          if (parsed.label() != null) {
            EarlyLabel l = new EarlyLabel(parsed.label(), r.timestamp());
            Applied p = applied.get(l.label().eventId());
            if (p == null) {
              early.computeIfAbsent(l.label().eventId(), k -> new ArrayList<>()).add(l);
            } else {
              due(engine, dueLabels, l, p);
            }
          }
          if (parsed.payment() == null) {
            continue;
          }
          PaymentEvent e = tokenizer.tokenize(parsed.payment());
          long tau = engine.processingTime(e.eventTimeMillis(), r.timestamp());
          if (applied.containsKey(e.eventId())) {
            deadLetter(producer, DeadLetter.of(raw, "validate", "duplicate_event_id"));
            continue;
          }
          while (!dueLabels.isEmpty() && dueLabels.peek().processingTime() <= tau) {
            DueLabel d = dueLabels.poll();
            for (int i = 0; i < entities.size(); i++) {
              if (d.keys()[i] != null) {
                EntityHistory h = histories.get(i).get(d.keys()[i]);
                if (h != null) {
                  engine.applyLabel(entities.get(i), h, d.label(), d.processingTime());
                }
              }
            }
          }
          double[] values = new double[engine.featureCount()];
          engine.computeEventFeatures(e, values);
          String[] keys = new String[entities.size()];
          for (int i = 0; i < entities.size(); i++) {
            String entity = entities.get(i);
            keys[i] = engine.entityKey(entity, e);
            EntityHistory h =
                keys[i] == null
                    ? null
                    : histories.get(i).computeIfAbsent(keys[i], k -> new EntityHistory());
            engine.applyPayment(entity, h, e, tau, values);
          }
          Applied a = new Applied(tau, keys);
          applied.put(e.eventId(), a);
          appliedOrder.add(e.eventId());
          for (EarlyLabel l : early.getOrDefault(e.eventId(), List.of())) {
            due(engine, dueLabels, l, a);
          }
          early.remove(e.eventId());
          forget(applied, appliedOrder, tau - retention);
          batch.add(e);
          rows.add(values);
          stamps.add(new long[] {tau, readAt, System.currentTimeMillis()});
        }
        if (!batch.isEmpty()) {
          score(model, thresholds, fingerprint, featureLog, producer, batch, rows, stamps);
          batch.clear();
          rows.clear();
          stamps.clear();
        }
        model.reloadIfDue();
      }
      producer.flush();
    }
  }

  private void score(
      ServingModel model,
      Thresholds thresholds,
      String fingerprint,
      boolean featureLog,
      KafkaProducer<String, String> producer,
      List<PaymentEvent> batch,
      List<double[]> rows,
      List<long[]> stamps) {
    int max = options.getMaxScoringBatch();
    for (int from = 0; from < batch.size(); from += max) {
      int to = Math.min(batch.size(), from + max);
      ServingModel.Scores scores = model.score(rows.subList(from, to).toArray(double[][]::new));
      long now = System.currentTimeMillis();
      for (int i = from; i < to; i++) {
        PaymentEvent e = batch.get(i);
        double score = scores.scores()[i - from];
        long[] s = stamps.get(i);
        ScoredPayment scored =
            new ScoredPayment(
                e.eventId(),
                score,
                thresholds.decide(score).wireName(),
                scores.model().name(),
                scores.model().version(),
                fingerprint,
                e.eventTimeMillis(),
                s[0],
                now,
                s[1],
                s[2]);
        producer.send(
            new ProducerRecord<>(options.getScoresTopic(), e.eventId(), scored.toJson()),
            this::failOnError);
        if (featureLog) {
          producer.send(
              new ProducerRecord<>(
                  options.getFeaturesTopic(),
                  e.eventId(),
                  FeatureRows.csv(fingerprint, e.eventId(), rows.get(i))),
              this::failOnError);
        }
      }
    }
  }

  /** Queues a label at the engine's processing time for it, if the engine joins it at all. */
  private static void due(
      FeatureEngine engine, PriorityQueue<DueLabel> due, EarlyLabel l, Applied p) {
    long rho =
        engine.labelProcessingTime(
            l.label().labelTimeMillis(), l.ingestTimeMillis(), p.processingTime());
    if (engine.labelJoinable(rho, p.processingTime())) {
      due.add(new DueLabel(rho, l.label(), p.keys()));
    }
  }

  /** Forgets label-join entries of payments older than the longest retention. */
  private static void forget(Map<String, Applied> applied, ArrayDeque<String> order, long before) {
    while (!order.isEmpty()) {
      Applied a = applied.get(order.peekFirst());
      if (a != null && a.processingTime() >= before) {
        return;
      }
      applied.remove(order.pollFirst());
    }
  }

  private void deadLetter(KafkaProducer<String, String> producer, DeadLetter d) {
    producer.send(
        new ProducerRecord<>(
            options.getDeadLettersTopic(),
            d.source() + ":" + d.partition() + ":" + d.offset(),
            DeadLetterJson.toJson(d)),
        this::failOnError);
  }

  private void failOnError(org.apache.kafka.clients.producer.RecordMetadata md, Exception e) {
    if (e != null) {
      failure.compareAndSet(null, e);
      stop.set(true);
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  private static KafkaConsumer<String, String> consumer(String servers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "parity-plain-speed-layer");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  private static KafkaProducer<String, String> producer(String servers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "parity-plain-speed-layer");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
