package io.parity.batch;

import io.parity.events.FieldMapping;
import io.parity.ingest.ParseEvents;
import io.parity.metrics.JobCounters;
import io.parity.metrics.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the ingestion slice over a Kafka topic range or files and checks that nothing was lost. */
public final class IngestJob {
  private IngestJob() {}

  /** What a run did; {@code recordsIn == payments + labelsOnly + deadLetters} always holds. */
  public record Summary(
      long recordsIn,
      long payments,
      long labelsOnly,
      long deadLetters,
      long expectedRecords,
      Duration elapsed) {

    public double eventsPerSecond() {
      return recordsIn / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  public static void main(String[] args) {
    PipelineOptionsFactory.register(IngestOptions.class);
    IngestOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(IngestOptions.class);
    Summary s = run(options);
    System.out.println(s);
  }

  /** Runs to completion. Fails if any record is unaccounted for. */
  public static Summary run(IngestOptions options) {
    FieldMapping mapping = FieldMapping.load(Path.of(options.getMapping()));
    Sources.Planned source = Sources.payments(options, mapping);
    Pipeline pipeline = Pipeline.create(options);
    IngestPipeline.apply(pipeline.begin(), source.read(), mapping, options.getOutput());
    Progress.Finished done = Progress.run(pipeline, ParseEvents.METRICS_NAMESPACE, "ingest");
    return summarize(
        JobCounters.of(done.result(), ParseEvents.METRICS_NAMESPACE),
        source.expectedRecords(),
        done.elapsed());
  }

  static Summary summarize(Map<String, Long> c, long expected, Duration elapsed) {
    long in = c.getOrDefault("records_in", 0L);
    long payments = c.getOrDefault("payments", 0L);
    long labels = c.getOrDefault("labels", 0L);
    long dead =
        c.getOrDefault("dead_letters_decode", 0L) + c.getOrDefault("dead_letters_validate", 0L);
    if (in != payments + labels + dead) {
      throw new IllegalStateException(
          "records unaccounted for: in="
              + in
              + " but payments+labels+dead letters="
              + (payments + labels + dead));
    }
    if (expected >= 0 && in != expected) {
      throw new IllegalStateException(
          "read "
              + in
              + " records but the topic range held "
              + expected
              + ": a partition read timed out (raise --maxReadSeconds) or the range changed");
    }
    return new Summary(in, payments, labels, dead, expected, elapsed);
  }
}
