package io.parity.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.batch.FeaturesJob;
import io.parity.batch.FeaturesOptions;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureDefinition;
import io.parity.features.FeatureReplay;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.FeatureRows;
import io.parity.ingest.KafkaRange;
import io.parity.ingest.ReadKafkaRange;
import io.parity.kafka.KafkaBrokerExtension;
import io.parity.kafka.KafkaBrokerInfo;
import io.parity.testdata.ArrivalSimulator;
import io.parity.testdata.JsonLinesCodec;
import io.parity.testdata.SampleData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity proof through a real broker: payments and labels on LogAppendTime topics are
 * featurized by the streaming path on Flink (state + event-time timers, Flink streaming mode) and
 * by the batch job on Direct and on Flink; every row equals the sequential replay of the same
 * arrivals (ingest time = the broker's append time), byte for byte.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class KafkaParityTest {
  private static final String PAYMENTS = "parity-payments";
  private static final String LABELS = "parity-labels";

  private String bootstrap;
  private FeatureSpec spec;
  private String fingerprint;
  private List<String> expected;
  private int payments;
  private Path dir;

  @BeforeAll
  void produce(KafkaBrokerInfo broker, @TempDir Path tmp) throws Exception {
    dir = tmp;
    bootstrap = broker.bootstrapServers();
    // The example spec, plus label features without a delay: on a 7-day sample its 7-day-delayed
    // fraud rates are always 0, and the proof must cover labels arriving between payments (so no
    // label apply delay either: everything here arrives within a second or two).
    FeatureSpec fraud = SpecFile.loadResource("specs/fraud.yaml");
    List<FeatureDefinition> features = new ArrayList<>(fraud.features());
    features.add(
        new FeatureDefinition.LabelAggregate(
            "card_fraud_count_7d",
            "card",
            FeatureDefinition.LabelFunction.FRAUD_COUNT,
            Duration.ofDays(7),
            Duration.ZERO));
    features.add(
        new FeatureDefinition.LabelAggregate(
            "terminal_fraud_rate_2d_delayed_1d",
            "terminal",
            FeatureDefinition.LabelFunction.FRAUD_RATE,
            Duration.ofDays(2),
            Duration.ofDays(1)));
    spec =
        new FeatureSpec(
            fraud.name(),
            fraud.timeZone(),
            fraud.allowedLateness(),
            fraud.maxLateness(),
            fraud.entities(),
            features);
    fingerprint = SpecFingerprint.of(spec);
    Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(PAYMENTS, 3, (short) 1).configs(appendTime),
                  new NewTopic(LABELS, 2, (short) 1).configs(appendTime),
                  new NewTopic("features-out", 2, (short) 1)))
          .all()
          .get();
    }
    // Send in simulated arrival order: 5% of payments arrive up to 3 h "late" (after later ones).
    ArrivalSimulator sim = ArrivalSimulator.of(5, 0.05, Duration.ofHours(3));
    List<Arrival<PaymentEvent>> sentPayments = sim.payments(SampleData.events());
    List<Arrival<LabelEvent>> sentLabels = sim.labels(SampleData.labels());
    payments = sentPayments.size();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // Payments and labels go out interleaved in their simulated arrival order, so the broker's
    // append times put labels between the payments that come after them.
    List<Arrival<?>> arrivals = new ArrayList<>(sentPayments);
    arrivals.addAll(sentLabels);
    arrivals.sort(java.util.Comparator.comparingLong(Arrival::ingestTimeMillis));
    List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (Arrival<?> a : arrivals) {
        if (a.value() instanceof PaymentEvent e) {
          sends.add(
              producer.send(new ProducerRecord<>(PAYMENTS, e.cardId(), JsonLinesCodec.toJson(e))));
        } else {
          LabelEvent l = (LabelEvent) a.value();
          sends.add(
              producer.send(new ProducerRecord<>(LABELS, l.eventId(), JsonLinesCodec.toJson(l))));
        }
      }
      producer.flush();
    }
    for (java.util.concurrent.Future<?> f : sends) {
      f.get(); // a failed send fails here, not as missing records later
    }
    // What the broker recorded is the truth every path must agree with.
    List<Arrival<PaymentEvent>> recordedPayments = new ArrayList<>();
    for (ConsumerRecord<String, String> r : consumeAll(PAYMENTS, sentPayments.size())) {
      recordedPayments.add(new Arrival<>(JsonLinesCodec.parseEvent(r.value()), r.timestamp()));
    }
    List<Arrival<LabelEvent>> recordedLabels = new ArrayList<>();
    for (ConsumerRecord<String, String> r : consumeAll(LABELS, sentLabels.size())) {
      recordedLabels.add(new Arrival<>(JsonLinesCodec.parseLabel(r.value()), r.timestamp()));
    }
    expected =
        FeatureReplay.replay(spec, recordedPayments, recordedLabels).stream()
            .map(row -> FeatureRows.csv(fingerprint, row.eventId(), row.values()))
            .toList();
    assertThat(expected).hasSize(payments);
    // The data must exercise labels: some payments see a known fraud of their card.
    int column = spec.featureNames().indexOf("card_fraud_count_7d") + 2;
    assertThat(expected.stream().filter(r -> !r.split(",")[column].equals("0.0")).count())
        .isGreaterThan(0);
  }

  private List<ConsumerRecord<String, String>> consumeAll(String topic, int count) {
    Properties c = new Properties();
    c.put("bootstrap.servers", bootstrap);
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertThat(out).as("records in " + topic).hasSize(count);
    return out;
  }

  private static FieldMapping mapping(String resource) throws IOException {
    try (InputStream in = KafkaParityTest.class.getResourceAsStream(resource)) {
      return FieldMapping.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void streamingOnFlinkReadingKafkaEqualsTheReplay() throws Exception {
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=FlinkRunner",
                    "--flinkMaster=[local]",
                    "--streaming=true",
                    "--parallelism=2")
                .create());
    StreamingFeatures.Result result =
        StreamingFeatures.apply(
            pipeline.begin(),
            ReadKafkaRange.of(
                bootstrap, KafkaRange.current(bootstrap, PAYMENTS, Duration.ofSeconds(30))),
            mapping("/mappings/payments-jsonl.yaml"),
            ReadKafkaRange.of(
                bootstrap, KafkaRange.current(bootstrap, LABELS, Duration.ofSeconds(30))),
            mapping("/mappings/labels-jsonl.yaml"),
            spec);
    StreamingFeatures.writeRows(result.features(), spec, bootstrap, "features-out");
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);

    List<String> rows =
        consumeAll("features-out", payments).stream().map(ConsumerRecord::value).toList();
    assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void batchOnDirectAndFlinkReadingTheSameTopicsEqualsTheReplay() throws Exception {
    Path paymentsMapping = dir.resolve("payments.yaml");
    Path labelsMapping = dir.resolve("labels.yaml");
    Files.writeString(paymentsMapping, resource("/mappings/payments-jsonl.yaml"));
    Files.writeString(labelsMapping, resource("/mappings/labels-jsonl.yaml"));
    Path specFile = dir.resolve("fraud.yaml");
    Files.writeString(specFile, SpecFile.write(spec));
    for (String runner : List.of("DirectRunner", "FlinkRunner")) {
      Path out = dir.resolve(runner);
      FeaturesOptions options =
          PipelineOptionsFactory.fromArgs(
                  "--runner=" + runner,
                  "--topic=" + PAYMENTS,
                  "--labelsTopic=" + LABELS,
                  "--bootstrapServers=" + bootstrap,
                  "--mapping=" + paymentsMapping,
                  "--labelsMapping=" + labelsMapping,
                  "--spec=" + specFile,
                  "--output=" + out)
              .as(FeaturesOptions.class);
      FeaturesJob.Summary s = FeaturesJob.run(options);
      assertThat(s.payments()).isEqualTo(payments);
      assertThat(s.fingerprint()).isEqualTo(fingerprint);
      List<String> lines = Files.readAllLines(out.resolve("features-00000-of-00001.csv"));
      assertThat(lines.get(0)).isEqualTo(FeatureRows.header(spec));
      assertThat(lines.subList(1, lines.size()))
          .as(runner)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KafkaParityTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
