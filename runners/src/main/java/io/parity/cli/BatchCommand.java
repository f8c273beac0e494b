package io.parity.cli;

import io.parity.batch.LakehouseJob;
import io.parity.batch.LakehouseOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
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

  @Mixin SourceOptions sources;

  @Option(names = "--spec", required = true, description = "feature spec (YAML)")
  Path spec;

  @Option(
      names = "--token-key-file",
      description = "tokenization key (default: work/secrets/token.key, created on first use)")
  Path tokenKey;

  @Option(names = "--out", description = "directory for dead letters (default: work/batch)")
  Path out;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() {
    SourceOptions.requireFile(spec);
    List<String> args = new ArrayList<>(runner.beamArgs());
    args.add("--spec=" + spec.toAbsolutePath());
    args.add(
        "--output=" + (out != null ? out : Parity.workDir().resolve("batch")).toAbsolutePath());
    sources.addTo(args);
    lakehouse.addTo(args);
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
