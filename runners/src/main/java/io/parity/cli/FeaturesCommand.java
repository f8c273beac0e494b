package io.parity.cli;

import io.parity.batch.FeaturesJob;
import io.parity.batch.FeaturesOptions;
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

  static final class Source {
    @Option(names = "--input", required = true, description = "payment files (glob)")
    String input;

    @Option(names = "--topic", required = true, description = "Kafka topic of payments")
    String topic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--spec", required = true, description = "feature spec (YAML)")
  Path spec;

  @Option(names = "--mapping", required = true, description = "field mapping of the payments")
  Path mapping;

  @Option(names = "--labels", description = "label files (glob)")
  String labels;

  @Option(names = "--labels-topic", description = "Kafka topic of labels")
  String labelsTopic;

  @Option(names = "--labels-mapping", description = "field mapping of the labels")
  Path labelsMapping;

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

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "default: ${DEFAULT-VALUE}")
  String bootstrapServers;

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
    args.add("--output=" + out.toAbsolutePath());
    args.add("--format=" + format);
    args.add("--shards=" + shards);
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
