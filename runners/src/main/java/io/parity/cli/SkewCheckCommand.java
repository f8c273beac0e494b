package io.parity.cli;

import io.parity.batch.SkewCheck;
import io.parity.batch.SkewCheckOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity skew-check}: the streaming job's features against a batch recompute. */
@Command(
    name = "skew-check",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the feature rows the streaming job wrote (--features-topic), recomputes the features"
          + " of those events in batch from bronze with the same spec, and compares them value by"
          + " value. Ingest the live topics into bronze first (parity batch --topic ...). Exit"
          + " code 0 when every value is equal, 1 otherwise."
    })
final class SkewCheckCommand implements Callable<Integer> {

  @Option(names = "--spec", required = true, description = "the spec the streaming job ran")
  Path spec;

  @Option(
      names = "--features-topic",
      defaultValue = "features",
      description = "the streaming job's feature rows (default: ${DEFAULT-VALUE})")
  String featuresTopic;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(
      names = "--max-examples",
      defaultValue = "10",
      description = "most differing values to print (default: ${DEFAULT-VALUE})")
  int maxExamples;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() throws Exception {
    SourceOptions.requireFile(spec);
    List<String> args = new ArrayList<>(runner.beamArgs());
    args.add("--spec=" + spec.toAbsolutePath());
    args.add("--featuresTopic=" + featuresTopic);
    args.add("--bootstrapServers=" + bootstrapServers);
    args.add("--maxExamples=" + maxExamples);
    args.add("--output=" + Files.createTempDirectory("parity-skew-check"));
    lakehouse.addTo(args);
    PipelineOptionsFactory.register(SkewCheckOptions.class);
    SkewCheckOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(SkewCheckOptions.class);
    SkewCheck.Report r = SkewCheck.run(options);
    System.out.printf(
        "skew-check (spec %s): %d events in the feature log (%d repeated deliveries),"
            + " %d recomputed from bronze, %d missing from bronze, %d logged twice with"
            + " different values%n",
        r.fingerprint(),
        r.logged(),
        r.duplicates(),
        r.compared(),
        r.missingInBatch(),
        r.conflictingInLog());
    System.out.printf(
        "mismatches: %d values in %d events%n", r.mismatchedValues(), r.mismatchedEvents());
    for (SkewCheck.Mismatch m : r.examples()) {
      System.out.printf(
          "  %s %s: streaming %s, batch %s%n", m.eventId(), m.feature(), m.streaming(), m.batch());
    }
    if (!r.missingExamples().isEmpty()) {
      System.out.println(
          "  not in bronze (ingest the topics with parity batch first): " + r.missingExamples());
    }
    if (r.otherSpecs() > 0) {
      System.out.println("  skipped " + r.otherSpecs() + " log rows of other spec fingerprints");
    }
    if (r.logged() == 0) {
      System.out.println("  the feature log is empty: nothing was checked");
    }
    return r.clean() ? 0 : 1;
  }
}
