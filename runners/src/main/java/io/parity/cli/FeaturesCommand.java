package io.parity.cli;

import io.parity.batch.FeaturesJob;
import io.parity.batch.FeaturesOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity features}: the batch features job over files or a Kafka topic. */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = {
      "Computes a spec's features for every payment (batch) and writes one row per payment:"
          + " event_id, spec_fingerprint, one column per feature (CSV or Parquet).",
      "Labels (optional) feed label-based features, counting only labels known in time."
    })
final class FeaturesCommand implements Callable<Integer> {

  @Mixin SourceOptions sources;

  @Option(names = "--spec", required = true, description = "feature spec (YAML)")
  Path spec;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description = "csv or parquet (default: ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--shards",
      defaultValue = "1",
      description = "output files; 0 lets the runner decide (default: ${DEFAULT-VALUE})")
  int shards;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() {
    SourceOptions.requireFile(spec);
    List<String> args = new ArrayList<>(runner.beamArgs());
    args.add("--spec=" + spec.toAbsolutePath());
    args.add("--output=" + out.toAbsolutePath());
    args.add("--format=" + format);
    args.add("--shards=" + shards);
    sources.addTo(args);
    PipelineOptionsFactory.register(FeaturesOptions.class);
    FeaturesOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(FeaturesOptions.class);
    FeaturesJob.Summary s = FeaturesJob.run(options);
    System.out.printf(
        "features on %s: %d records in -> %d payments with features, %d labels, %d dead letters"
            + " in %.1f s (%.0f payments/s); spec %s%n  rows: %s/features-*.%s%n",
        runner.runner(),
        s.recordsIn(),
        s.payments(),
        s.labels(),
        s.deadLetters(),
        s.elapsed().toMillis() / 1000.0,
        s.eventsPerSecond(),
        s.fingerprint(),
        out,
        format);
    return 0;
  }
}
