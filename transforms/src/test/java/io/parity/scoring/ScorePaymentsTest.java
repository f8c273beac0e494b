package io.parity.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.PaymentEvent;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.features.pipeline.FeaturedPaymentCoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ScorePaymentsTest {

  @Test
  void aBundleLargerThanTheBatchIsScoredInBatchesWithEveryElementsOwnTimestamp(@TempDir Path dir) {
    FeatureSpec spec = SpecFile.loadResource("specs/minimal.yaml");
    TestModels.Spec model = TestModels.spec(SpecFingerprint.of(spec), spec.featureNames());
    Path models = dir.resolve("fraud");
    TestModels.publish(ModelStore.at(models), model, 1);

    // Increasing timestamps in one bundle (Flink with one worker: one bundle for the input; the
    // Direct runner makes small bundles), more elements than one TF call takes.
    List<TimestampedValue<FeaturedPayment>> input = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      double[] values = {i, 10.0 * i};
      PaymentEvent p =
          new PaymentEvent("e" + i, 1_000L * i, "card", "m", 1.0, "EUR", null, null, null, "pos");
      input.add(
          TimestampedValue.of(new FeaturedPayment(p, 1_000L * i, values), new Instant(1_000L * i)));
      expected.add("e" + i + " v1 at " + new Instant(1_000L * i));
    }
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1")
                .create());
    PCollection<String> out =
        pipeline
            .apply(Create.timestamped(input).withCoder(FeaturedPaymentCoder.of()))
            .apply(ScorePayments.with(models, spec, new Thresholds(0.5, 0.9)).withMaxBatch(3))
            .apply(ParDo.of(new DescribeFn()));
    PAssert.that(out).containsInAnyOrder(expected);
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    // 10 payments in calls of at most 3: at least 4 TF calls, none larger than 3.
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(ScorePayments.NAMESPACE))
                    .build());
    long calls = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().getName().equals("model_calls")) {
        calls += c.getAttempted();
      }
    }
    long largest = 0;
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().getName().equals("batch_size")) {
        largest = Math.max(largest, d.getAttempted().getMax());
      }
    }
    assertThat(calls).isGreaterThanOrEqualTo(4);
    assertThat(largest).isBetween(1L, 3L);
  }

  @Test
  void microBatchesScoreEveryPaymentOnceLikeBundlesInCallsOfAtMostMaxBatch(@TempDir Path dir) {
    FeatureSpec spec = SpecFile.loadResource("specs/minimal.yaml");
    TestModels.Spec model = TestModels.spec(SpecFingerprint.of(spec), spec.featureNames());
    Path models = dir.resolve("fraud");
    TestModels.publish(ModelStore.at(models), model, 1);
    List<FeaturedPayment> input = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      PaymentEvent p =
          new PaymentEvent("e" + i, 1_000L * i, "card", "m", 1.0, "EUR", null, null, null, "pos");
      input.add(new FeaturedPayment(p, 1_000L * i, new double[] {i % 7, 0.5 * i}));
    }
    ScorePayments score =
        ScorePayments.with(models, spec, new Thresholds(0.5, 0.9)).withMaxBatch(3);
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<FeaturedPayment> payments =
        pipeline.apply(Create.of(input).withCoder(FeaturedPaymentCoder.of()));
    PCollection<String> bundled =
        payments.apply("Bundled", score).apply("DescribeBundled", ParDo.of(new ScoreOfFn()));
    PCollection<ScorePayments.ScoredBatch> batches =
        payments.apply("MicroBatched", score.inMicroBatches());
    PCollection<String> batched = batches.apply("Unbatch", ParDo.of(new UnbatchFn()));
    // The same score for every payment, each exactly once, in batches of 1..3 whose scores are
    // their payments' own.
    List<String> expected = new ArrayList<>();
    try (ServingModel serving = score.open()) {
      float[] scores =
          serving
              .score(input.stream().map(FeaturedPayment::values).toArray(double[][]::new))
              .scores();
      for (int i = 0; i < input.size(); i++) {
        expected.add(input.get(i).payment().eventId() + "=" + rounded(scores[i]));
      }
    }
    PAssert.that(bundled).containsInAnyOrder(expected);
    PAssert.that(batched).containsInAnyOrder(expected);
    PAssert.that(batches)
        .satisfies(
            all -> {
              for (ScorePayments.ScoredBatch b : all) {
                assertThat(b.scores()).hasSizeBetween(1, 3);
                for (int i = 0; i < b.scores().size(); i++) {
                  assertThat(b.scores().get(i).eventId())
                      .isEqualTo(b.payments().get(i).payment().eventId());
                }
              }
              return null;
            });
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
  }

  static final class ScoreOfFn extends DoFn<ScoredPayment, String> {
    @ProcessElement
    public void process(@Element ScoredPayment s, OutputReceiver<String> out) {
      out.output(s.eventId() + "=" + rounded(s.score()));
    }
  }

  /** TF may differ by ~1e-7 between batch compositions (op fusion); the batches differ here. */
  static String rounded(double score) {
    return String.format(java.util.Locale.ROOT, "%.5f", score);
  }

  static final class UnbatchFn extends DoFn<ScorePayments.ScoredBatch, String> {
    @ProcessElement
    public void process(@Element ScorePayments.ScoredBatch b, OutputReceiver<String> out) {
      b.scores().forEach(s -> out.output(s.eventId() + "=" + rounded(s.score())));
    }
  }

  /** A score as {@code <event id> v<model version> at <element timestamp>}. */
  static final class DescribeFn extends DoFn<ScoredPayment, String> {
    @ProcessElement
    public void process(
        @Element ScoredPayment s, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      out.output(s.eventId() + " v" + s.modelVersion() + " at " + timestamp);
    }
  }
}
