package io.parity.cli;

import io.parity.batch.IngestJob;
import io.parity.batch.IngestOptions;
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

/** {@code parity ingest}: parse and validate records from Kafka or files; count and dead-letter. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Reads payments from a Kafka topic (all stored offsets) or files, validates them with the"
          + " mapping, writes payments per day and dead letters (with reasons) to --out.",
      "Every record is accounted for: records in = payments + labels + dead letters."
    })
final class IngestCommand implements Callable<Integer> {

  static final class Source {
    @Option(names = "--topic", required = true, description = "Kafka topic to read")
    String topic;

    @Option(names = "--input", required = true, description = "file or glob of JSONL/CSV files")
    String input;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(names = "--mapping", required = true, description = "field mapping file (YAML)")
  Path mapping;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() {
    IngestJob.Summary s = run(source.topic, source.input, bootstrapServers, mapping, out, runner);
    print(s, runner, out);
    return 0;
  }

  static IngestJob.Summary run(
      String topic,
      String input,
      String bootstrapServers,
      Path mapping,
      Path out,
      RunnerOptions runner) {
    if (!Files.isRegularFile(mapping)) {
      throw new IllegalArgumentException("--mapping: no such file " + mapping);
    }
    List<String> args = new ArrayList<>(runner.beamArgs());
    args.add("--mapping=" + mapping.toAbsolutePath());
    args.add("--output=" + out.toAbsolutePath());
    args.add("--bootstrapServers=" + bootstrapServers);
    if (topic != null) {
      args.add("--topic=" + topic);
    } else {
      args.add("--input=" + input);
    }
    PipelineOptionsFactory.register(IngestOptions.class);
    IngestOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(IngestOptions.class);
    return IngestJob.run(options);
  }

  static void print(IngestJob.Summary s, RunnerOptions runner, Path out) {
    System.out.printf(
        "ingest on %s: %d records in -> %d payments, %d labels, %d dead letters"
            + " in %.1f s (%.0f records/s)%n",
        runner.runner(),
        s.recordsIn(),
        s.payments(),
        s.labelsOnly(),
        s.deadLetters(),
        s.elapsed().toMillis() / 1000.0,
        s.eventsPerSecond());
    System.out.printf(
        "  payments per day: %s%n  dead letters:     %s%n",
        out.resolve("payments-per-day-00000-of-00001.csv"),
        out.resolve("dead-letters-00000-of-00001.jsonl"));
  }
}
