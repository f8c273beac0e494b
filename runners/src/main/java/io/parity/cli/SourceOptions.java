package io.parity.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where a batch command reads payments (and optionally labels) from: files or Kafka. */
final class SourceOptions {

  static final class Payments {
    @Option(names = "--input", required = true, description = "payment files (glob)")
    String input;

    @Option(names = "--topic", required = true, description = "Kafka topic of payments")
    String topic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Payments payments;

  @Option(names = "--mapping", required = true, description = "field mapping of the payments")
  Path mapping;

  @Option(names = "--labels", description = "label files (glob)")
  String labels;

  @Option(names = "--labels-topic", description = "Kafka topic of labels")
  String labelsTopic;

  @Option(names = "--labels-mapping", description = "field mapping of the labels")
  Path labelsMapping;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  /** Checks the files exist and adds the job options for these sources to {@code args}. */
  void addTo(List<String> args) {
    requireFile(mapping);
    args.add("--mapping=" + mapping.toAbsolutePath());
    args.add("--bootstrapServers=" + bootstrapServers);
    args.add(payments.topic != null ? "--topic=" + payments.topic : "--input=" + payments.input);
    if (labels != null) {
      args.add("--labels=" + labels);
    }
    if (labelsTopic != null) {
      args.add("--labelsTopic=" + labelsTopic);
    }
    if (labelsMapping != null) {
      requireFile(labelsMapping);
      args.add("--labelsMapping=" + labelsMapping.toAbsolutePath());
    }
  }

  static void requireFile(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("no such file: " + p);
    }
  }
}
