package io.parity.metrics;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/**
 * Waits for a job while printing its counters every few seconds, so a long run shows progress.
 * Runners that finish inside {@code run()} (Flink in attached mode) simply return at once.
 */
public final class Progress {
  private Progress() {}

  /** A finished job and how long it ran. */
  public record Finished(PipelineResult result, Duration elapsed) {}

  /**
   * Runs {@code pipeline}, printing its {@code namespace} counters every 10 s, and fails unless it
   * ends DONE.
   */
  public static Finished run(
      org.apache.beam.sdk.Pipeline pipeline, String namespace, String label) {
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    PipelineResult.State state =
        await(result, namespace, label, Duration.ofSeconds(10), System.out);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(label + " job ended in state " + state);
    }
    return new Finished(result, elapsed);
  }

  /** Waits until the job ends; prints {@code label: name=value ...} every {@code every}. */
  public static PipelineResult.State await(
      PipelineResult result, String namespace, String label, Duration every, PrintStream out) {
    long start = System.nanoTime();
    while (true) {
      PipelineResult.State state =
          result.waitUntilFinish(org.joda.time.Duration.millis(every.toMillis()));
      if (state != null && state.isTerminal()) {
        return state;
      }
      Map<String, Long> counters = JobCounters.of(result, namespace);
      StringBuilder line =
          new StringBuilder(
              String.format("  %s: %.0f s", label, (System.nanoTime() - start) / 1e9));
      counters.forEach((k, v) -> line.append(", ").append(k).append('=').append(v));
      out.println(line);
    }
  }
}
