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

  /** A score as {@code <event id> v<model version> at <element timestamp>}. */
  static final class DescribeFn extends DoFn<ScoredPayment, String> {
    @ProcessElement
    public void process(
        @Element ScoredPayment s, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      out.output(s.eventId() + " v" + s.modelVersion() + " at " + timestamp);
    }
  }
}
