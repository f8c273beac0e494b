package io.parity.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.batch.LakehouseJob;
import io.parity.batch.LakehouseOptions;
import io.parity.batch.SkewCheck;
import io.parity.batch.SkewCheckOptions;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureDefinition;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.DeadLetterJson;
import io.parity.kafka.KafkaBrokerExtension;
import io.parity.kafka.KafkaBrokerInfo;
import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.training.Split;
import io.parity.lakehouse.training.TrainingSets;
import io.parity.lakehouse.training.UnlabeledPolicy;
import io.parity.scoring.IncompatibleModelException;
import io.parity.scoring.ModelMetadata;
import io.parity.scoring.ModelStore;
import io.parity.scoring.ScoredPayment;
import io.parity.testdata.ArrivalSimulator;
import io.parity.testdata.BadRecords;
import io.parity.testdata.JsonLinesCodec;
import io.parity.testdata.SampleData;
import io.parity.training.ModelType;
import io.parity.training.TrainModel;
import io.parity.training.TrainOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed layer end to end through a real broker, on Direct and on Flink[local]: history is
 * ingested into bronze and a model is trained on a training set of it; then live payments and
 * labels (with invalid records) go through {@code SpeedLayer} warm-started from bronze. Every valid
 * live payment gets exactly one score, every invalid record one dead letter with its reason, a new
 * model version is picked up while running and a broken one refused; finally the live topics are
 * ingested and the skew check finds every streamed feature value equal to the batch recompute.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(900)
class SpeedLayerTest {
  private static final String PAYMENTS = "sl-payments";
  private static final String LABELS = "sl-labels";
  private static final byte[] KEY =
      "parity-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  /** Arrivals before this (simulated) time are history: in bronze before the jobs start. */
  private static final Instant CUT = Instant.parse("2026-01-10T00:00:00Z");

  private String bootstrap;
  private Path dir;
  private Path specFile;
  private Path paymentsMapping;
  private Path labelsMapping;
  private Path keyFile;
  private Path warehouse;
  private Path trainedModel;
  private FeatureSpec spec;

  /** Live arrivals in three parts: before the jobs start, after v2 is dropped, after broken v3. */
  private final List<List<Arrival<?>>> live = new ArrayList<>();

  private List<BadRecords.BadRecord> bad;

  @BeforeAll
  void setUp(KafkaBrokerInfo broker, @TempDir Path tmp) throws Exception {
    dir = tmp;
    bootstrap = broker.bootstrapServers();
    // The example spec plus label features without a delay, so live labels change features.
    FeatureSpec fraud = SpecFile.loadResource("specs/fraud.yaml");
    List<FeatureDefinition> features = new ArrayList<>(fraud.features());
    features.add(
        new FeatureDefinition.LabelAggregate(
            "card_fraud_count_7d",
            "card",
            FeatureDefinition.LabelFunction.FRAUD_COUNT,
            java.time.Duration.ofDays(7),
            java.time.Duration.ZERO));
    spec =
        new FeatureSpec(
                fraud.name(),
                fraud.timeZone(),
                fraud.allowedLateness(),
                fraud.maxLateness(),
                fraud.entities(),
                features)
            .withLabelApplyDelay(fraud.labelApplyDelay());
    specFile = Files.writeString(dir.resolve("spec.yaml"), SpecFile.write(spec));
    paymentsMapping = copy("/mappings/payments-jsonl.yaml");
    labelsMapping = copy("/mappings/labels-jsonl.yaml");
    keyFile = Files.write(dir.resolve("token.key"), KEY);
    warehouse = dir.resolve("warehouse");

    Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(PAYMENTS, 3, (short) 1).configs(appendTime),
                  new NewTopic(LABELS, 2, (short) 1).configs(appendTime)))
          .all()
          .get();
    }
    ArrivalSimulator sim = ArrivalSimulator.of(7, 0.05, Duration.ofHours(3));
    List<Arrival<?>> arrivals = new ArrayList<>(sim.payments(SampleData.events()));
    arrivals.addAll(sim.labels(SampleData.labels()));
    arrivals.sort(java.util.Comparator.comparingLong(Arrival::ingestTimeMillis));
    List<Arrival<?>> history =
        arrivals.stream().filter(a -> a.ingestTimeMillis() < CUT.toEpochMilli()).toList();
    List<Arrival<?>> rest = arrivals.subList(history.size(), arrivals.size());
    int a = rest.size() / 2;
    int b = a + rest.size() / 4;
    live.add(rest.subList(0, a));
    live.add(rest.subList(a, b));
    live.add(rest.subList(b, rest.size()));
    bad = BadRecords.first(9);

    // History -> topics -> bronze (+ silver) by the batch layer, then a training set and a model.
    produce(history, List.of());
    // Malformed records at the end of the history: bronze never holds them, but its ingest
    // consumed them, so the live jobs must not read them again.
    produce(List.of(), BadRecords.first(12).subList(9, 12));
    LakehouseJob.run(lakehouseOptions("history"));
    // The model was trained earlier on matured labels: the whole sample in another lakehouse
    // (chargebacks arrive weeks late, so the history above knows almost no fraud yet).
    Path trainingWarehouse = dir.resolve("training-warehouse");
    LakehouseOptions training = lakehouseOptions("training");
    training.setTopic(null);
    training.setLabelsTopic(null);
    training.setInput(copy("/" + SampleData.EVENTS_JSONL).toString());
    training.setLabels(copy("/" + SampleData.LABELS_JSONL).toString());
    training.setWarehouse(trainingWarehouse.toString());
    LakehouseJob.run(training);
    CatalogConfig catalog = CatalogConfig.parse("hadoop", trainingWarehouse.toString(), List.of());
    Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
    Instant t1 = Instant.parse("2026-01-09T00:00:00Z");
    Instant t2 = Instant.parse("2026-01-12T00:00:00Z");
    TrainingSets.create(
        catalog.open(),
        "fraud",
        t0,
        t2,
        Instant.parse("2026-04-01T00:00:00Z"),
        null,
        UnlabeledPolicy.NEGATIVE,
        List.of(new Split("train", t0, t1), new Split("valid", t1, t2)));
    trainedModel = dir.resolve("trained/fraud");
    TrainModel.run(
        catalog.open(),
        "fraud-v1",
        trainedModel,
        TrainOptions.defaults().withModel(ModelType.LOGISTIC).withMaxEpochs(20));

    // The first live part (with invalid records) is waiting in the topics when the jobs start.
    produce(live.get(0), bad);
  }

  @Test
  @Order(1)
  void directRunnerScoresEveryValidLivePaymentAndDeadLettersEveryInvalidRecord() throws Exception {
    Path models = modelCopy("direct");
    StreamOptions options = streamOptions("direct", models, List.of("--runner=DirectRunner"));
    PipelineResult job = start(options);
    try {
      assertScoresAndDeadLetters("direct", live.get(0), 1);
    } finally {
      job.cancel();
    }
  }

  @Test
  @Order(2)
  void flinkRunnerScoresAndHotReloadsANewModelVersionAndRefusesABrokenOne() throws Exception {
    Path models = modelCopy("flink");
    List<String> flink =
        new ArrayList<>(
            List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    flink.addAll(SpeedLayer.flinkLowLatencyArgs());
    StreamOptions options = streamOptions("flink", models, flink);
    PipelineResult job = start(options);
    try {
      assertScoresAndDeadLetters("flink", live.get(0), 1);

      // A new version dropped in while running is picked up after the poll interval (1 s).
      ModelStore store = ModelStore.at(models);
      publishCopy(store, 1, 2);
      Thread.sleep(2_500);
      produce(live.get(1), List.of());
      Map<String, ScoredPayment> part2 =
          awaitScores("flink", paymentIds(flatten(live.subList(0, 2))));
      // Batches scored by other workers while v2 was loading still used v1.
      Set<Integer> versions =
          paymentIds(live.get(1)).stream()
              .map(id -> part2.get(id).modelVersion())
              .collect(Collectors.toSet());
      assertThat(versions).contains(2).isSubsetOf(1, 2);

      // A broken version 3 is refused: version 2 keeps serving.
      Path broken = store.newStagingDir();
      Files.writeString(broken.resolve("saved_model.pb"), "not a model");
      ModelMetadata.read(store.versionDir(2)).withVersion(3).write(broken);
      store.publish(broken, 3);
      Thread.sleep(2_500);
      produce(live.get(2), List.of());
      Map<String, ScoredPayment> all = awaitScores("flink", paymentIds(flatten(live)));
      assertThat(paymentIds(live.get(2)))
          .allSatisfy(id -> assertThat(all.get(id).modelVersion()).as(id).isEqualTo(2));
    } finally {
      job.cancel();
    }
  }

  @Test
  @Order(3)
  void streamedFeaturesEqualTheBatchRecomputeFromBronze() throws Exception {
    // The live topics go into bronze like any batch run; then batch recomputes what streaming did.
    LakehouseJob.run(lakehouseOptions("live"));
    // The second run continued after what bronze held: every payment is in bronze exactly once.
    CatalogConfig catalog = CatalogConfig.parse("hadoop", warehouse.toString(), List.of());
    List<String> bronzeIds = new ArrayList<>();
    try (var rows =
        org.apache.iceberg.data.IcebergGenerics.read(
                catalog.open().loadTable(io.parity.lakehouse.LakehouseTables.BRONZE_EVENTS))
            .select("event_id")
            .build()) {
      rows.forEach(r -> bronzeIds.add((String) r.getField("event_id")));
    }
    assertThat(bronzeIds).doesNotHaveDuplicates().hasSize(SampleData.events().size());
    for (String runner : List.of("direct", "flink")) {
      SkewCheckOptions o =
          PipelineOptionsFactory.fromArgs(
                  "--runner=DirectRunner",
                  "--bootstrapServers=" + bootstrap,
                  "--featuresTopic=sl-features-" + runner,
                  "--spec=" + specFile,
                  "--warehouse=" + warehouse,
                  "--output=" + dir.resolve("skew-" + runner))
              .as(SkewCheckOptions.class);
      SkewCheck.Report report = SkewCheck.run(o);
      int expected = paymentIds(runner.equals("direct") ? live.get(0) : flatten(live)).size();
      assertThat(report.logged()).as(runner).isEqualTo(expected);
      assertThat(report.compared()).as(runner).isEqualTo(expected);
      assertThat(report.examples()).as(runner).isEmpty();
      assertThat(report.mismatchedValues()).as(runner).isZero();
      assertThat(report.clean()).as(runner).isTrue();
    }
  }

  @Test
  @Order(4)
  void aModelOfAnotherSpecIsRefusedBeforeTheJobStarts() throws Exception {
    FeatureSpec other =
        new FeatureSpec(
            spec.name(),
            spec.timeZone(),
            spec.allowedLateness(),
            spec.maxLateness(),
            spec.entities(),
            spec.features().subList(0, spec.features().size() - 1));
    Path otherSpec = Files.writeString(dir.resolve("other-spec.yaml"), SpecFile.write(other));
    StreamOptions options = streamOptions("other", trainedModel, List.of("--runner=DirectRunner"));
    options.setSpec(otherSpec.toString());
    assertThatThrownBy(() -> SpeedLayer.build(Pipeline.create(options), options))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining(io.parity.features.SpecFingerprint.of(other))
        .hasMessageContaining(io.parity.features.SpecFingerprint.of(spec));
  }

  @Test
  @Order(5)
  void aWarmStartWithAnotherCardTokenKeyThanBronzesIsRefused() throws Exception {
    Path otherKey =
        Files.write(
            dir.resolve("other.key"),
            "another-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    StreamOptions options = streamOptions("key", trainedModel, List.of("--runner=DirectRunner"));
    options.setTokenKeyFile(otherKey.toString());
    assertThatThrownBy(() -> SpeedLayer.build(Pipeline.create(options), options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bronze.events holds card tokens of key")
        .hasMessageContaining("--token-key-file");
  }

  // ------------------------------------------------------------------ helpers

  private PipelineResult start(StreamOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    SpeedLayer.Plan plan = SpeedLayer.build(pipeline, options);
    assertThat(plan.warmStart()).isTrue();
    // Every partition continues right after what bronze holds of it.
    assertThat(plan.paymentOffsets()).containsOnlyKeys(0, 1, 2);
    assertThat(plan.labelOffsets()).containsOnlyKeys(0, 1);
    return pipeline.run();
  }

  private void assertScoresAndDeadLetters(String runner, List<Arrival<?>> part, int version)
      throws Exception {
    Set<String> ids = paymentIds(part);
    Map<String, ScoredPayment> scores = awaitScores(runner, ids);
    assertThat(scores.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(scores.values())
        .allSatisfy(
            s -> {
              assertThat(s.modelVersion()).isEqualTo(version);
              assertThat(s.specFingerprint())
                  .isEqualTo(io.parity.features.SpecFingerprint.of(spec));
              assertThat(s.score()).isBetween(0.0, 1.0);
              assertThat(s.decision()).isIn("approve", "review", "decline");
            });
    List<ConsumerRecord<String, String>> dead =
        consume("sl-dead-letters-" + runner, r -> true, bad.size(), Duration.ofSeconds(60));
    List<DeadLetter> letters = dead.stream().map(r -> DeadLetterJson.fromJson(r.value())).toList();
    assertThat(letters).hasSize(bad.size());
    for (BadRecords.BadRecord b : bad) {
      assertThat(letters)
          .anySatisfy(
              d -> {
                assertThat(d.payload()).isEqualTo(b.payload());
                assertThat(d.reason()).contains(b.expectedReason());
              });
    }
  }

  /** Waits until every id has a score; returns the latest score per event id. */
  private Map<String, ScoredPayment> awaitScores(String runner, Set<String> ids) {
    Map<String, ScoredPayment> byId = new HashMap<>();
    consume(
        "sl-scores-" + runner,
        r -> {
          ScoredPayment s = ScoredPayment.fromJson(r.value());
          assertThat(r.key()).isEqualTo(s.eventId());
          byId.put(s.eventId(), s);
          return true;
        },
        Duration.ofSeconds(240),
        () -> byId.keySet().containsAll(ids));
    assertThat(byId.keySet()).containsAll(ids);
    return byId;
  }

  private List<ConsumerRecord<String, String>> consume(
      String topic, Predicate<ConsumerRecord<String, String>> keep, int count, Duration timeout) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    consume(
        topic,
        r -> {
          if (keep.test(r)) {
            out.add(r);
          }
          return true;
        },
        timeout,
        () -> out.size() >= count);
    return out;
  }

  private void consume(
      String topic,
      Predicate<ConsumerRecord<String, String>> sink,
      Duration timeout,
      java.util.function.BooleanSupplier done) {
    Properties c = new Properties();
    c.put("bootstrap.servers", bootstrap);
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> tps = List.of();
      while (tps.isEmpty() && System.nanoTime() < deadline) {
        tps =
            consumer.listTopics().containsKey(topic)
                ? consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList()
                : List.of();
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      while (!done.getAsBoolean() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          sink.test(r);
        }
      }
      // Then a little longer, so that records beyond what was awaited are seen too.
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
        sink.test(r);
      }
    }
  }

  private void produce(List<Arrival<?>> arrivals, List<BadRecords.BadRecord> invalid) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (BadRecords.BadRecord b : invalid) {
        producer.send(new ProducerRecord<>(PAYMENTS, "bad", b.payload()));
      }
      for (Arrival<?> a : arrivals) {
        if (a.value() instanceof PaymentEvent e) {
          producer.send(new ProducerRecord<>(PAYMENTS, e.cardId(), JsonLinesCodec.toJson(e)));
        } else {
          LabelEvent l = (LabelEvent) a.value();
          producer.send(new ProducerRecord<>(LABELS, l.eventId(), JsonLinesCodec.toJson(l)));
        }
      }
      producer.flush();
    }
  }

  private StreamOptions streamOptions(String name, Path models, List<String> runnerArgs) {
    List<String> args = new ArrayList<>(runnerArgs);
    args.addAll(
        List.of(
            "--streaming=true",
            "--bootstrapServers=" + bootstrap,
            "--topic=" + PAYMENTS,
            "--mapping=" + paymentsMapping,
            "--labelsTopic=" + LABELS,
            "--labelsMapping=" + labelsMapping,
            "--spec=" + specFile,
            "--modelDir=" + models,
            "--modelPollSeconds=1",
            "--scoresTopic=sl-scores-" + name,
            "--deadLettersTopic=sl-dead-letters-" + name,
            "--featuresTopic=sl-features-" + name,
            "--warehouse=" + warehouse,
            "--tokenKeyFile=" + keyFile));
    if (runnerArgs.contains("--runner=DirectRunner")) {
      args.add("--blockOnRun=false");
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(StreamOptions.class);
  }

  private LakehouseOptions lakehouseOptions(String run) {
    return PipelineOptionsFactory.fromArgs(
            "--runner=DirectRunner",
            "--bootstrapServers=" + bootstrap,
            "--topic=" + PAYMENTS,
            "--mapping=" + paymentsMapping,
            "--labelsTopic=" + LABELS,
            "--labelsMapping=" + labelsMapping,
            "--spec=" + specFile,
            "--warehouse=" + warehouse,
            "--tokenKeyFile=" + keyFile,
            "--output=" + dir.resolve("batch-" + run))
        .as(LakehouseOptions.class);
  }

  /** A fresh copy of the trained model directory for one job. */
  private Path modelCopy(String name) throws IOException {
    Path target = dir.resolve("models-" + name).resolve("fraud");
    try (Stream<Path> files = Files.walk(trainedModel)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(trainedModel.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }

  /** Publishes a copy of version {@code from} as version {@code to} (same weights). */
  private static void publishCopy(ModelStore store, int from, int to) throws IOException {
    Path staged = store.newStagingDir();
    Path source = store.versionDir(from);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path target = staged.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.getFileName().toString().equals(ModelMetadata.FILE_NAME)) {
          Files.copy(f, target);
        }
      }
    }
    ModelMetadata.read(source).withVersion(to).write(staged);
    store.publish(staged, to);
  }

  private static Set<String> paymentIds(List<Arrival<?>> part) {
    Set<String> ids = new HashSet<>();
    for (Arrival<?> a : part) {
      if (a.value() instanceof PaymentEvent e) {
        ids.add(e.eventId());
      }
    }
    return ids;
  }

  private static List<Arrival<?>> flatten(List<? extends List<Arrival<?>>> parts) {
    return parts.stream().flatMap(List::stream).collect(Collectors.toList());
  }

  private Path copy(String resource) throws IOException {
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = SpeedLayerTest.class.getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
    return target;
  }
}
