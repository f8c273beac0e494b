package io.parity.scoring;

import io.parity.features.FeatureSpec;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.FeaturedPayment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Scores featurized payments with the latest model version of a model directory, in micro-batches
 * (a bundle's payments, in TensorFlow calls of at most {@code maxBatch}): TF's per-call overhead
 * dominates single-row scoring. Every worker JVM shares one loaded model ({@link ServingModel}),
 * which picks up new versions without a restart.
 */
public final class ScorePayments
    extends PTransform<PCollection<FeaturedPayment>, PCollection<ScoredPayment>> {
  private static final long serialVersionUID = 1L;
  public static final String NAMESPACE = "parity.scoring";

  private final String modelDir;
  private final List<String> featureNames;
  private final String fingerprint;
  private final Thresholds thresholds;
  private final Duration pollInterval;
  private final int maxBatch;

  private ScorePayments(
      String modelDir,
      List<String> featureNames,
      String fingerprint,
      Thresholds thresholds,
      Duration pollInterval,
      int maxBatch) {
    this.modelDir = modelDir;
    this.featureNames = List.copyOf(featureNames);
    this.fingerprint = fingerprint;
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
  }

  /**
   * Scores with the models in {@code modelDir} ({@code models/NAME}), whose fingerprint must be
   * {@code spec}'s.
   */
  public static ScorePayments with(Path modelDir, FeatureSpec spec, Thresholds thresholds) {
    return new ScorePayments(
        modelDir.toAbsolutePath().toString(),
        spec.featureNames(),
        SpecFingerprint.of(spec),
        thresholds,
        Duration.ofSeconds(10),
        512);
  }

  /** How often to look for a new model version (default 10 s). */
  public ScorePayments withPollInterval(Duration interval) {
    return new ScorePayments(modelDir, featureNames, fingerprint, thresholds, interval, maxBatch);
  }

  /** Most payments per TensorFlow call (default 512). */
  public ScorePayments withMaxBatch(int max) {
    return new ScorePayments(modelDir, featureNames, fingerprint, thresholds, pollInterval, max);
  }

  /**
   * Opens the model as the job will (fails fast on a missing, broken or mismatching model); the
   * caller closes it.
   */
  public ServingModel open() {
    return ServingModel.shared(Path.of(modelDir), fingerprint, featureNames, pollInterval);
  }

  @Override
  public PCollection<ScoredPayment> expand(PCollection<FeaturedPayment> input) {
    return input
        .apply("ScoreMicroBatches", ParDo.of(new ScoreFn(this)))
        .setCoder(SerializableCoder.of(ScoredPayment.class));
  }

  static final class ScoreFn extends DoFn<FeaturedPayment, ScoredPayment> {
    private static final long serialVersionUID = 1L;
    private final ScorePayments config;
    private final Counter scored = Metrics.counter(NAMESPACE, "payments_scored");
    private final Counter calls = Metrics.counter(NAMESPACE, "model_calls");
    private final Distribution batchSize = Metrics.distribution(NAMESPACE, "batch_size");
    private final Counter[] decisions = new Counter[Thresholds.Decision.values().length];
    private transient ServingModel model;
    private transient List<Pending> pending;

    private record Pending(FeaturedPayment payment, Instant timestamp, BoundedWindow window) {}

    ScoreFn(ScorePayments config) {
      this.config = config;
      for (Thresholds.Decision d : Thresholds.Decision.values()) {
        decisions[d.ordinal()] = Metrics.counter(NAMESPACE, "decision_" + d.wireName());
      }
    }

    @Setup
    public void setup() {
      model = config.open();
    }

    @Teardown
    public void teardown() {
      if (model != null) {
        model.close(); // releases this instance's share of the process-wide model
        model = null;
      }
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(
        @Element FeaturedPayment f, @Timestamp Instant timestamp, BoundedWindow window) {
      // Scored when the bundle finishes: an output mid-bundle could not carry an earlier
      // element's timestamp (outputs may not be earlier than the current input's).
      pending.add(new Pending(f, timestamp, window));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (int from = 0; from < pending.size(); from += config.maxBatch) {
        for (Done d :
            score(pending.subList(from, Math.min(pending.size(), from + config.maxBatch)))) {
          c.output(d.scored(), d.timestamp(), d.window());
        }
      }
      pending.clear();
    }

    private record Done(ScoredPayment scored, Instant timestamp, BoundedWindow window) {}

    private List<Done> score(List<Pending> batch) {
      double[][] rows = new double[batch.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = batch.get(i).payment().values();
      }
      ServingModel.Scores scores = model.score(rows);
      calls.inc();
      batchSize.update(rows.length);
      long now = System.currentTimeMillis();
      List<Done> done = new ArrayList<>(rows.length);
      for (int i = 0; i < rows.length; i++) {
        Pending p = batch.get(i);
        double score = scores.scores()[i];
        Thresholds.Decision d = config.thresholds.decide(score);
        decisions[d.ordinal()].inc();
        done.add(
            new Done(
                new ScoredPayment(
                    p.payment().payment().eventId(),
                    score,
                    d.wireName(),
                    scores.model().name(),
                    scores.model().version(),
                    config.fingerprint,
                    p.payment().payment().eventTimeMillis(),
                    p.payment().processingTime(),
                    now),
                p.timestamp(),
                p.window()));
      }
      scored.inc(rows.length);
      return done;
    }
  }
}
