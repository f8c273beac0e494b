package io.parity.cli;

import io.parity.batch.LakehouseJob;
import io.parity.batch.LakehouseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity batch}: ingest into bronze, then recompute silver and gold. */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description = {
      "The batch layer: ingests payments (and labels) from files or a Kafka topic range into the"
          + " bronze tables (card ids tokenized; re-running the same input adds nothing), then"
          + " recomputes silver.features for the spec and the gold daily aggregates from all of"
          + " bronze."
    })
final class BatchCommand implements Callable<Integer> {

  static final class Source {
    @Option(names = "--input", required = true, description = "payment files (glob)")
    String input;

    @Option(names = "--topic", required = true, description = "Kafka topic of payments")
    String topic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--mapping", required = true, description = "field mapping of the payments")
  Path mapping;

  @Option(names = "--labels", description = "label files (glob)")
  String labels;

  @Option(names = "--labels-topic", description = "Kafka topic of labels")
  String labelsTopic;

  @Option(names = "--labels-mapping", description = "field mapping of the labels")
  Path labelsMapping;

  @Option(names = "--spec", required = true, description = "feature spec (YAML)")
  Path spec;

  @Option(
      names = "--token-key-file",
      description = "tokenization key (default: work/secrets/token.key, created on first use)")
  Path tokenKey;

  @Option(names = "--out", description = "directory for dead letters (default: work/batch)")
  Path out;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "default: ${DEFAULT-VALUE}")
  String bootstrapServers;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() {
    for (Path p : new Path[] {spec, mapping, labelsMapping}) {
      if (p != null && !Files.isRegularFile(p)) {
        throw new IllegalArgumentException("no such file: " + p);
      }
    }
    List<String> args = new ArrayList<>(runner.beamArgs());
    args.add("--spec=" + spec.toAbsolutePath());
    args.add("--mapping=" + mapping.toAbsolutePath());
    args.add(
        "--output=" + (out != null ? out : Parity.workDir().resolve("batch")).toAbsolutePath());
    args.add("--bootstrapServers=" + bootstrapServers);
    args.add(source.topic != null ? "--topic=" + source.topic : "--input=" + source.input);
    if (labels != null) {
      args.add("--labels=" + labels);
    }
    if (labelsTopic != null) {
      args.add("--labelsTopic=" + labelsTopic);
    }
    if (labelsMapping != null) {
      args.add("--labelsMapping=" + labelsMapping.toAbsolutePath());
    }
    args.add("--catalogType=" + lakehouse.catalogType);
    args.add("--warehouse=" + lakehouse.warehouse());
    for (String p : lakehouse.properties) {
      args.add("--catalogProperty=" + p);
    }
    Path key = tokenKey != null ? tokenKey : LakehouseOptionsMixin.defaultTokenKey();
    args.add("--tokenKeyFile=" + key.toAbsolutePath());
    PipelineOptionsFactory.register(LakehouseOptions.class);
    LakehouseOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(LakehouseOptions.class);
    System.out.println(
        "==> ingesting into bronze, then recomputing silver and gold on " + runner.runner());
    LakehouseJob.Summary s = LakehouseJob.run(options);
    System.out.printf(
        "batch %s on %s: %d records in -> %d payments, %d labels, %d dead letters;"
            + " ingest %.1f s, recompute %.1f s (%.0f records/s); spec %s%n",
        s.runId(),
        runner.runner(),
        s.recordsIn(),
        s.payments(),
        s.labels(),
        s.deadLetters(),
        s.ingestTime().toMillis() / 1000.0,
        s.recomputeTime().toMillis() / 1000.0,
        s.eventsPerSecond(),
        s.fingerprint());
    s.snapshots()
        .forEach(
            (table, snapshot) ->
                System.out.printf(
                    "  %-22s snapshot %-20s %,d rows%n",
                    table, snapshot, s.tableRecords().get(table)));
    return 0;
  }
}
