package io.parity.cli;

import io.parity.batch.IngestJob;
import io.parity.kafka.BrokerConfig;
import io.parity.kafka.BrokerStatus;
import io.parity.kafka.LocalKafkaBroker;
import io.parity.streaming.SpeedLayer;
import io.parity.streaming.StreamOptions;
import io.parity.testdata.PaymentGenerator;
import io.parity.testdata.PaymentGeneratorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity demo}: the whole loop on embedded defaults, from a fresh checkout. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the local Kafka broker, generates payments with injected fraud, produces all days"
          + " but the last (and a few malformed records) to fresh topics, runs the ingestion job"
          + " (counts + dead letters), the batch layer (Iceberg bronze, silver features, gold"
          + " aggregates) and an analyst's SQL query, creates a training set and trains a"
          + " TensorFlow model, then streams the last day through the speed layer (scores and"
          + " dead letters to topics) and checks its features against the batch recompute."
    })
final class DemoCommand implements Callable<Integer> {
  static final String TOPIC = "demo-payments";
  static final String LABELS = TOPIC + "-labels";
  static final String SCORES = "demo-scores";
  static final String DEAD_LETTERS = "demo-dead-letters";
  static final String FEATURES = "demo-features";

  @Mixin RunnerOptions runner;

  @Mixin GenerateCommand.Knobs knobs = new GenerateCommand.Knobs();

  @Option(
      names = "--bad-records",
      defaultValue = "14",
      description = "malformed records to mix in (default: ${DEFAULT-VALUE})")
  int badRecords;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "local broker port (default: ${DEFAULT-VALUE})")
  int port;

  @Override
  public Integer call() throws Exception {
    runner.beamArgs(); // fail fast on bad runner options, before any work
    PaymentGeneratorConfig config = knobs.config();
    if (config.days() < 3) {
      throw new IllegalArgumentException(
          "--days must be at least 3: the demo trains on all days but the last and streams the"
              + " last one live");
    }
    Instant start = config.start();
    Instant cut = start.plus(Duration.ofDays(config.days() - 1));
    Instant validFrom = cut.minus(Duration.ofDays(Math.max(1, (config.days() - 1) / 3)));
    Path work = Parity.workDir();
    step("1/8 Kafka broker");
    LocalKafkaBroker broker =
        new LocalKafkaBroker(
            BrokerConfig.defaults(work.resolve("kafka").toAbsolutePath())
                .withPort(port)
                .withControllerPort(port + 1));
    BrokerStatus status = broker.start();
    System.out.println("    " + status.describe());
    String bootstrap = status.bootstrapServers();

    step(
        "2/8 Generate "
            + config.days()
            + " days; produce all but the last (the history) to topic "
            + TOPIC);
    for (String t : List.of(TOPIC, LABELS, SCORES, DEAD_LETTERS, FEATURES)) {
      Topics.recreate(bootstrap, t, t.equals(TOPIC) || t.equals(LABELS) ? 4 : 1);
    }
    long t0 = System.nanoTime();
    GenerateCommand.Produced produced =
        GenerateCommand.produce(
            PaymentGenerator.create(config),
            bootstrap,
            TOPIC,
            LABELS,
            0,
            badRecords,
            e -> e.eventTimeMillis() < cut.toEpochMilli());
    System.out.printf(
        "    %d payments + %d malformed records, %d labels to %s (%.1f s)%n",
        produced.events(),
        produced.badRecords(),
        produced.labels(),
        LABELS,
        (System.nanoTime() - t0) / 1e9);

    step("3/8 Ingest on " + runner.runner() + ": Kafka -> parse/validate -> counts + dead letters");
    Path out = work.resolve("demo");
    Path mapping = work.resolve("mappings/payments-jsonl.yaml");
    copyResource("/mappings/payments-jsonl.yaml", mapping);
    IngestJob.Summary s = IngestCommand.run(TOPIC, null, bootstrap, mapping, out, runner);

    IngestCommand.print(s, runner, out);
    long expected = produced.events() + produced.badRecords();
    if (s.recordsIn() != expected || s.deadLetters() != produced.badRecords()) {
      throw new IllegalStateException(
          "demo check failed: produced "
              + expected
              + " records ("
              + produced.badRecords()
              + " malformed) but ingestion saw "
              + s.recordsIn()
              + " with "
              + s.deadLetters()
              + " dead letters");
    }
    System.out.println("    every record accounted for");

    step("4/8 Batch layer on " + runner.runner() + ": bronze -> silver features -> gold (Iceberg)");
    Path labelsMapping = work.resolve("mappings/labels-jsonl.yaml");
    copyResource("/mappings/labels-jsonl.yaml", labelsMapping);
    Path spec = work.resolve("specs/fraud.yaml");
    copyResource("/specs/fraud.yaml", spec);
    // A fresh warehouse and model directory per demo: the demo recreates its topics, so its runs
    // are independent.
    Path warehouse = work.resolve("demo/warehouse").toAbsolutePath();
    Path models = work.resolve("demo/models/fraud").toAbsolutePath();
    deleteRecursively(warehouse);
    deleteRecursively(models.getParent());
    String[] batch =
        batchArgs(bootstrap, mapping, labelsMapping, spec, work.resolve("demo/batch"), warehouse);
    int exit = new CommandLine(new BatchCommand()).execute(batch);
    if (exit != 0) {
      return exit;
    }

    step("5/8 Analysts' SQL over the lakehouse");
    String query =
        "SELECT day, sum(payments) AS payments, round(sum(amount_sum), 2) AS amount_eur,"
            + " sum(fraud_known) AS frauds_known FROM gold.card_daily GROUP BY day ORDER BY day";
    System.out.println("    bin/parity sql \"" + query + "\"");
    exit = new CommandLine(new SqlCommand()).execute(query, "--warehouse=" + warehouse);
    if (exit != 0) {
      return exit;
    }

    step("6/8 A versioned training set and a TensorFlow model trained on it");
    exit =
        new CommandLine(new TrainingSetCommand())
            .execute(
                "create",
                "--name=fraud",
                "--from=" + start,
                "--to=" + cut,
                "--as-of=" + Instant.now(),
                "--split=train:" + start + ".." + validFrom + ",valid:" + validFrom + ".." + cut,
                "--warehouse=" + warehouse);
    if (exit != 0) {
      return exit;
    }
    exit =
        new CommandLine(new TrainCommand())
            .execute(
                "--training-set=fraud-v1",
                "--out=" + models,
                "--model=mlp",
                "--warehouse=" + warehouse);
    if (exit != 0) {
      return exit;
    }

    step("7/8 Speed layer on " + runner.runner() + ": the last day arrives live and is scored");
    exit = streamLastDay(config, cut, bootstrap, mapping, labelsMapping, spec, models, warehouse);
    if (exit != 0) {
      return exit;
    }

    step("8/8 Skew check: the live day into bronze, its features recomputed in batch, compared");
    exit = new CommandLine(new BatchCommand()).execute(batch);
    if (exit != 0) {
      return exit;
    }
    exit =
        new CommandLine(new SkewCheckCommand())
            .execute(
                "--spec=" + spec,
                "--features-topic=" + FEATURES,
                "--bootstrap-servers=" + bootstrap,
                "--warehouse=" + warehouse);
    System.out.println(
        "The broker keeps running (bin/parity kafka stop); tables: bin/parity tables --warehouse "
            + warehouse);
    return exit;
  }

  /** Starts the speed layer, produces the last day, waits for every score, stops the job. */
  private int streamLastDay(
      PaymentGeneratorConfig config,
      Instant cut,
      String bootstrap,
      Path mapping,
      Path labelsMapping,
      Path spec,
      Path models,
      Path warehouse)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--topic=" + TOPIC,
                "--mapping=" + mapping,
                "--labels-topic=" + LABELS,
                "--labels-mapping=" + labelsMapping,
                "--spec=" + spec,
                "--model=" + models,
                "--bootstrap-servers=" + bootstrap,
                "--scores-topic=" + SCORES,
                "--dead-letters-topic=" + DEAD_LETTERS,
                "--features-topic=" + FEATURES,
                "--warehouse=" + warehouse));
    args.addAll(runner.cliArgs());
    StreamCommand stream = new StreamCommand();
    new CommandLine(stream).parseArgs(args.toArray(String[]::new));
    StreamOptions options = stream.options();
    Pipeline pipeline = Pipeline.create(options);
    SpeedLayer.Plan plan = SpeedLayer.build(pipeline, options);
    System.out.printf(
        "    model %s v%d (spec %s); warm start from bronze, live from offsets %s%n",
        plan.model().name(), plan.model().version(), plan.fingerprint(), plan.paymentOffsets());
    PipelineResult job = pipeline.run();
    try {
      int live = 5;
      GenerateCommand.Produced produced =
          GenerateCommand.produce(
              PaymentGenerator.create(config),
              bootstrap,
              TOPIC,
              LABELS,
              0,
              live,
              e -> e.eventTimeMillis() >= cut.toEpochMilli());
      System.out.printf(
          "    produced %d live payments + %d malformed records, %d labels%n",
          produced.events(), produced.badRecords(), produced.labels());
      LiveResults r =
          LiveResults.await(
              bootstrap, SCORES, DEAD_LETTERS, produced.events(), live, Duration.ofMinutes(5));
      System.out.println("    " + r.describe());
      return r.complete() ? 0 : 1;
    } finally {
      job.cancel();
    }
  }

  private String[] batchArgs(
      String bootstrap, Path mapping, Path labelsMapping, Path spec, Path out, Path warehouse) {
    java.util.List<String> args =
        new ArrayList<>(
            List.of(
                "--topic=" + TOPIC,
                "--labels-topic=" + LABELS,
                "--bootstrap-servers=" + bootstrap,
                "--mapping=" + mapping,
                "--labels-mapping=" + labelsMapping,
                "--spec=" + spec,
                "--out=" + out,
                "--warehouse=" + warehouse));
    args.addAll(runner.cliArgs());
    return args.toArray(String[]::new);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void step(String text) {
    System.out.println("==> " + text);
  }

  private static void copyResource(String resource, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " (rebuild parity)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
