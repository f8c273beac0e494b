package io.parity.cli;

import io.parity.batch.IngestJob;
import io.parity.kafka.BrokerConfig;
import io.parity.kafka.BrokerStatus;
import io.parity.kafka.LocalKafkaBroker;
import io.parity.testdata.PaymentGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity demo}: the whole loop on embedded defaults, from a fresh checkout. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the local Kafka broker, generates payments with injected fraud, produces them (and a"
          + " few malformed records) to fresh topics, runs the ingestion job (counts + dead"
          + " letters), the batch layer (Iceberg bronze, silver features, gold aggregates) and an"
          + " analyst's SQL query."
    })
final class DemoCommand implements Callable<Integer> {
  static final String TOPIC = "demo-payments";

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
  public Integer call() throws IOException {
    runner.beamArgs(); // fail fast on bad runner options, before any work
    Path work = Parity.workDir();
    step("1/5 Kafka broker");
    LocalKafkaBroker broker =
        new LocalKafkaBroker(
            BrokerConfig.defaults(work.resolve("kafka").toAbsolutePath())
                .withPort(port)
                .withControllerPort(port + 1));
    BrokerStatus status = broker.start();
    System.out.println("    " + status.describe());
    String bootstrap = status.bootstrapServers();

    step("2/5 Generate and produce to topic " + TOPIC);
    Topics.recreate(bootstrap, TOPIC, 4);
    Topics.recreate(bootstrap, TOPIC + "-labels", 4);
    long t0 = System.nanoTime();
    GenerateCommand.Produced produced =
        GenerateCommand.produce(
            PaymentGenerator.create(knobs.config()),
            bootstrap,
            TOPIC,
            TOPIC + "-labels",
            0,
            badRecords);
    System.out.printf(
        "    %d payments + %d malformed records, %d labels to %s-labels (%.1f s)%n",
        produced.events(),
        produced.badRecords(),
        produced.labels(),
        TOPIC,
        (System.nanoTime() - t0) / 1e9);

    step("3/5 Ingest on " + runner.runner() + ": Kafka -> parse/validate -> counts + dead letters");
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

    step("4/5 Batch layer on " + runner.runner() + ": bronze -> silver features -> gold (Iceberg)");
    Path labelsMapping = work.resolve("mappings/labels-jsonl.yaml");
    copyResource("/mappings/labels-jsonl.yaml", labelsMapping);
    Path spec = work.resolve("specs/fraud.yaml");
    copyResource("/specs/fraud.yaml", spec);
    // A fresh warehouse per demo: the demo recreates its topics, so its runs are independent.
    Path warehouse = work.resolve("demo/warehouse").toAbsolutePath();
    deleteRecursively(warehouse);
    int exit =
        new picocli.CommandLine(new BatchCommand())
            .execute(
                batchArgs(
                    bootstrap,
                    mapping,
                    labelsMapping,
                    spec,
                    work.resolve("demo/batch"),
                    warehouse));
    if (exit != 0) {
      return exit;
    }

    step("5/5 Analysts' SQL over the lakehouse");
    String query =
        "SELECT day, sum(payments) AS payments, round(sum(amount_sum), 2) AS amount_eur,"
            + " sum(fraud_known) AS frauds_known FROM gold.card_daily GROUP BY day ORDER BY day";
    System.out.println("    bin/parity sql \"" + query + "\"");
    exit = new picocli.CommandLine(new SqlCommand()).execute(query, "--warehouse=" + warehouse);
    System.out.println(
        "The broker keeps running (bin/parity kafka stop); tables: bin/parity tables");
    return exit;
  }

  private String[] batchArgs(
      String bootstrap, Path mapping, Path labelsMapping, Path spec, Path out, Path warehouse) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--topic=" + TOPIC,
                "--labels-topic=" + TOPIC + "-labels",
                "--bootstrap-servers=" + bootstrap,
                "--mapping=" + mapping,
                "--labels-mapping=" + labelsMapping,
                "--spec=" + spec,
                "--out=" + out,
                "--warehouse=" + warehouse,
                "--runner=" + runner.runner(),
                "--flinkMaster=" + runner.flinkMaster));
    if (runner.parallelism != null) {
      args.add("--parallelism=" + runner.parallelism);
    }
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
