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
          + " few malformed records) to a fresh topic, runs the ingestion job and prints a summary."
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
    step("1/4 Kafka broker");
    LocalKafkaBroker broker =
        new LocalKafkaBroker(
            BrokerConfig.defaults(work.resolve("kafka").toAbsolutePath())
                .withPort(port)
                .withControllerPort(port + 1));
    BrokerStatus status = broker.start();
    System.out.println("    " + status.describe());
    String bootstrap = status.bootstrapServers();

    step("2/4 Generate and produce to topic " + TOPIC);
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

    step("3/4 Ingest on " + runner.runner() + ": Kafka -> parse/validate -> counts + dead letters");
    Path out = work.resolve("demo");
    Path mapping = work.resolve("mappings/payments-jsonl.yaml");
    copyResource("/mappings/payments-jsonl.yaml", mapping);
    IngestJob.Summary s = IngestCommand.run(TOPIC, null, bootstrap, mapping, out, runner);

    step("4/4 Summary");
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
    System.out.println(
        "    every record accounted for. The broker keeps running: bin/parity kafka stop");
    return 0;
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
