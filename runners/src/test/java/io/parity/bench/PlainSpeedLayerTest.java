package io.parity.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureReplay;
import io.parity.features.FeatureRow;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.FeatureRows;
import io.parity.ingest.DeadLetterJson;
import io.parity.ingest.KafkaTopics;
import io.parity.kafka.KafkaBrokerExtension;
import io.parity.kafka.KafkaBrokerInfo;
import io.parity.privacy.CardTokenizer;
import io.parity.scoring.ModelStore;
import io.parity.scoring.ScoredPayment;
import io.parity.scoring.TestModels;
import io.parity.streaming.StreamOptions;
import io.parity.testdata.JsonLinesCodec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency floor does the speed layer's work through a real broker: every payment gets one
 * score, a malformed record one dead letter, and on in-order input every feature row equals the
 * batch replay of the tokenized payments bit for bit (the same engine, not a copy of it).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class PlainSpeedLayerTest {
  private static final byte[] KEY =
      "plain-floor-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void scoresEveryPaymentWithTheBatchFeaturesAndDeadLettersBadRecords(
      KafkaBrokerInfo broker, @TempDir Path dir) throws Exception {
    String servers = broker.bootstrapServers();
    String tag = "plain-" + Long.toString(System.nanoTime(), 36);
    String payments = tag + "-payments";
    for (String topic : List.of(payments, tag + "-scores", tag + "-dead", tag + "-features")) {
      KafkaTopics.ensure(servers, topic, 1);
    }
    FeatureSpec spec = SpecFile.loadResource("specs/minimal.yaml");
    Path specFile = copy("/specs/minimal.yaml", dir);
    Path mapping = copy("/mappings/payments-jsonl.yaml", dir);
    Path models = dir.resolve("models/fraud");
    TestModels.publish(
        ModelStore.at(models), TestModels.spec(SpecFingerprint.of(spec), spec.featureNames()), 1);
    Path keyFile = Files.write(dir.resolve("token.key"), KEY);

    StreamOptions o = PipelineOptionsFactory.as(StreamOptions.class);
    o.setBootstrapServers(servers);
    o.setTopic(payments);
    o.setMapping(mapping.toString());
    o.setSpec(specFile.toString());
    o.setModelDir(models.toString());
    o.setScoresTopic(tag + "-scores");
    o.setDeadLettersTopic(tag + "-dead");
    o.setFeaturesTopic(tag + "-features");
    o.setTokenKeyFile(keyFile.toString());
    o.setWarmStart(false);

    List<PaymentEvent> sent = new ArrayList<>();
    Map<String, Long> appended = new HashMap<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    try (PlainSpeedLayer loop = PlainSpeedLayer.start(o);
        KafkaProducer<String, String> producer = producer(servers)) {
      for (int i = 0; i < 60; i++) {
        PaymentEvent p =
            new PaymentEvent(
                "p" + i,
                t0.plusSeconds(97L * i).toEpochMilli(),
                "4111-0000-" + (i % 3),
                "m" + (i % 5),
                10.0 + i,
                "EUR",
                null,
                null,
                null,
                "pos");
        RecordMetadata md =
            producer
                .send(new ProducerRecord<>(payments, p.eventId(), JsonLinesCodec.toJson(p)))
                .get();
        sent.add(p);
        appended.put(p.eventId(), md.timestamp());
      }
      producer.send(new ProducerRecord<>(payments, "bad", "{not json")).get();

      Map<String, List<String>> out =
          readUntil(servers, List.of(tag + "-scores", tag + "-features", tag + "-dead"), 60, 60, 1);
      loop.rethrowFailure();

      List<String> scored = new ArrayList<>();
      for (String json : out.get(tag + "-scores")) {
        ScoredPayment s = ScoredPayment.fromJson(json);
        scored.add(s.eventId());
        assertThat(s.readAt()).isPositive();
        assertThat(s.featuresAt()).isGreaterThanOrEqualTo(s.readAt());
        assertThat(s.scoredAt()).isGreaterThanOrEqualTo(s.featuresAt());
      }
      assertThat(scored)
          .containsExactlyInAnyOrderElementsOf(sent.stream().map(PaymentEvent::eventId).toList());
      assertThat(out.get(tag + "-dead"))
          .singleElement()
          .satisfies(d -> assertThat(DeadLetterJson.fromJson(d).stage()).isEqualTo("decode"));

      CardTokenizer tokenizer = CardTokenizer.withKey(KEY);
      List<Arrival<PaymentEvent>> arrivals = new ArrayList<>();
      for (PaymentEvent p : sent) {
        arrivals.add(new Arrival<>(tokenizer.tokenize(p), appended.get(p.eventId())));
      }
      Map<String, String> expected = new TreeMap<>();
      for (FeatureRow r : FeatureReplay.replay(spec, arrivals, List.of())) {
        expected.put(
            r.eventId(), FeatureRows.csv(SpecFingerprint.of(spec), r.eventId(), r.values()));
      }
      Map<String, String> logged = new TreeMap<>();
      for (String row : out.get(tag + "-features")) {
        logged.put(row.substring(0, row.indexOf(',')), row);
      }
      assertThat(logged).isEqualTo(expected);
    }
  }

  /** Reads the topics from the start until each has at least its count of records. */
  private static Map<String, List<String>> readUntil(
      String servers, List<String> topics, int... counts) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    Map<String, List<String>> out = new HashMap<>();
    topics.forEach(t -> out.put(t, new ArrayList<>()));
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.get(r.topic()).add(r.value());
        }
        boolean done = true;
        for (int i = 0; i < topics.size(); i++) {
          done &= out.get(topics.get(i)).size() >= counts[i];
        }
        if (done) {
          return out;
        }
      }
    }
    throw new AssertionError("timed out; read so far: " + out);
  }

  private static KafkaProducer<String, String> producer(String servers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static Path copy(String resource, Path dir) throws Exception {
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = PlainSpeedLayerTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, target);
    }
    return target;
  }
}
