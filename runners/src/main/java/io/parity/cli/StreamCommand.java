package io.parity.cli;

import io.parity.streaming.SpeedLayer;
import io.parity.streaming.StreamOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity stream}: the speed layer, live payments to scores. */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "The speed layer: reads live payments (and labels) from Kafka, sends invalid records to a"
          + " dead-letter topic with their reason, computes the spec's features with the shared"
          + " library (state warmed up from bronze up to the cut-over), scores them with the"
          + " latest model version in micro-batches and writes scores keyed by event id. New"
          + " model versions are picked up without a restart; broken ones are refused.",
      "Runs until stopped (Ctrl-C) or for --run-for."
    })
final class StreamCommand implements Callable<Integer> {

  @Option(names = "--topic", required = true, description = "Kafka topic of payments")
  String topic;

  @Option(names = "--mapping", required = true, description = "field mapping of the payments")
  Path mapping;

  @Option(names = "--labels-topic", description = "Kafka topic of labels")
  String labelsTopic;

  @Option(names = "--labels-mapping", description = "field mapping of the labels")
  Path labelsMapping;

  @Option(names = "--spec", required = true, description = "feature spec (YAML)")
  Path spec;

  @Option(names = "--model", required = true, description = "model directory (models/NAME)")
  Path model;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(
      names = "--scores-topic",
      defaultValue = "scores",
      description = "topic for scores (default: ${DEFAULT-VALUE})")
  String scoresTopic;

  @Option(
      names = "--dead-letters-topic",
      defaultValue = "dead-letters",
      description = "topic for invalid records (default: ${DEFAULT-VALUE})")
  String deadLettersTopic;

  @Option(
      names = "--features-topic",
      defaultValue = "features",
      description =
          "topic for the feature rows, read by skew-check; '' for none"
              + " (default: ${DEFAULT-VALUE})")
  String featuresTopic;

  @Option(
      names = "--review-threshold",
      defaultValue = "0.5",
      description = "score from which a payment is reviewed (default: ${DEFAULT-VALUE})")
  double reviewThreshold;

  @Option(
      names = "--decline-threshold",
      defaultValue = "0.9",
      description = "score from which a payment is declined (default: ${DEFAULT-VALUE})")
  double declineThreshold;

  @Option(
      names = "--model-poll",
      defaultValue = "PT10S",
      description =
          "how often to look for a new model version, ISO-8601 (default: ${DEFAULT-VALUE})")
  Duration modelPoll;

  @Option(
      names = "--no-warm-start",
      description = "start with empty feature state at the topics' ends (default: warm start)")
  boolean noWarmStart;

  @Option(
      names = "--run-for",
      description = "stop after this long, ISO-8601 like PT5M (default: until Ctrl-C)")
  Duration runFor;

  @Option(
      names = "--token-key-file",
      description = "tokenization key (default: work/secrets/token.key, created on first use)")
  Path tokenKey;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() throws Exception {
    StreamOptions options = options();
    Pipeline pipeline = Pipeline.create(options);
    SpeedLayer.Plan plan = SpeedLayer.build(pipeline, options);
    System.out.printf(
        "==> speed layer on %s: %s -> %s (dead letters: %s), model %s v%d, spec %s%n",
        runner.runner(),
        topic + (labelsTopic != null ? " + " + labelsTopic : ""),
        scoresTopic,
        deadLettersTopic,
        plan.model().name(),
        plan.model().version(),
        plan.fingerprint());
    System.out.println(
        plan.warmStart()
            ? "    warm start from bronze snapshots "
                + plan.bronze()
                + "; live payments from offsets "
                + plan.paymentOffsets()
                + " (other partitions: earliest)"
            : "    cold start at the topics' ends");
    PipelineResult result = pipeline.run();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              cancel(result);
              stopped.countDown();
            });
    Runtime.getRuntime().addShutdownHook(hook);
    long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
    // Watch the job: a failed job must fail the command, not leave it waiting.
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      PipelineResult.State state = result.waitUntilFinish(org.joda.time.Duration.millis(1));
      if (state != null && state.isTerminal()) {
        Runtime.getRuntime().removeShutdownHook(hook);
        throw new IllegalStateException("the streaming job ended: " + state);
      }
      if (System.nanoTime() >= deadline) {
        Runtime.getRuntime().removeShutdownHook(hook);
        cancel(result);
        System.out.println("==> stopped after " + runFor);
        break;
      }
    }
    return 0;
  }

  private static void cancel(PipelineResult result) {
    try {
      result.cancel();
    } catch (IOException e) {
      throw new IllegalStateException("cannot cancel the streaming job: " + e.getMessage(), e);
    }
  }

  StreamOptions options() throws IOException {
    List<String> args = new ArrayList<>(runner.beamArgs());
    args.add("--streaming=true");
    args.add("--topic=" + topic);
    args.add("--mapping=" + mapping.toAbsolutePath());
    if (labelsTopic != null) {
      args.add("--labelsTopic=" + labelsTopic);
    }
    if (labelsMapping != null) {
      args.add("--labelsMapping=" + labelsMapping.toAbsolutePath());
    }
    args.add("--spec=" + spec.toAbsolutePath());
    args.add("--modelDir=" + model.toAbsolutePath());
    args.add("--bootstrapServers=" + bootstrapServers);
    args.add("--scoresTopic=" + scoresTopic);
    args.add("--deadLettersTopic=" + deadLettersTopic);
    args.add("--featuresTopic=" + featuresTopic);
    args.add("--reviewThreshold=" + reviewThreshold);
    args.add("--declineThreshold=" + declineThreshold);
    if (modelPoll.isNegative() || modelPoll.toSeconds() < 1) {
      throw new IllegalArgumentException("--model-poll must be at least PT1S, got " + modelPoll);
    }
    args.add("--modelPollSeconds=" + modelPoll.toSeconds());
    args.add("--warmStart=" + !noWarmStart);
    lakehouse.addTo(args);
    // A key other than bronze's is refused by the job (bronze records its key's id).
    Path key = tokenKey != null ? tokenKey : LakehouseOptionsMixin.defaultTokenKey();
    args.add("--tokenKeyFile=" + key.toAbsolutePath());
    if (runner.runner() == RunnerOptions.Runner.flink) {
      args.addAll(SpeedLayer.flinkLowLatencyArgs());
    }
    PipelineOptionsFactory.register(StreamOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation()
        .as(StreamOptions.class);
  }
}
