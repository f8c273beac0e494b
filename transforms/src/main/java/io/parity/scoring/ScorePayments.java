package io.parity.scoring;

import io.parity.features.FeatureSpec;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.features.pipeline.FeaturedPaymentCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Scores featurized payments with the latest model version of a model directory, in micro-batches
 * (a bundle's payments, in TensorFlow calls of at most {@code maxBatch}): TF's per-call overhead
 * dominates single-row scoring. Every worker JVM shares one loaded model ({@link ServingModel}),
 * which picks up new versions without a restart.
 *
 * <p>{@link #inMicroBatches()} batches by time instead of by bundle, for a runner whose bundles are
 * one element long (the speed layer on Flink, where short bundles keep watermarks moving): payments
 * are spread over a few keys, buffered at most {@link #MAX_WAIT} or {@code maxBatch} payments per
 * key, and each batch is one TensorFlow call and one output element, so a sink can write it with
 * one flush.
 */
public final class ScorePayments
    extends PTransform<PCollection<FeaturedPayment>, PCollection<ScoredPayment>> {
  private static final long serialVersionUID = 1L;
  public static final String NAMESPACE = "parity.scoring";

  /** How long {@link #inMicroBatches()} holds a payment back to fill a batch. */
  public static final org.joda.time.Duration MAX_WAIT = org.joda.time.Duration.millis(2);

  /** Keys payments are spread over in {@link #inMicroBatches()}: a few per worker. */
  static final int SHARDS = 8;

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
        .setCoder(ScoredPaymentCoder.of());
  }

  /** Scored payments with their features, in the order of both lists: one TensorFlow call. */
  public record ScoredBatch(List<FeaturedPayment> payments, List<ScoredPayment> scores) {
    public ScoredBatch {
      if (payments.size() != scores.size()) {
        throw new IllegalArgumentException(
            payments.size() + " payments but " + scores.size() + " scores");
      }
    }
  }

  /** Scores in batches formed by time (see the class comment); one output element per batch. */
  public ScoreMicroBatches inMicroBatches() {
    return new ScoreMicroBatches(this);
  }

  /** {@link #inMicroBatches()}: spread over shard keys, group by size or time, score each batch. */
  public static final class ScoreMicroBatches
      extends PTransform<PCollection<FeaturedPayment>, PCollection<ScoredBatch>> {
    private static final long serialVersionUID = 1L;
    private final ScorePayments config;

    private ScoreMicroBatches(ScorePayments config) {
      this.config = config;
    }

    @Override
    public PCollection<ScoredBatch> expand(PCollection<FeaturedPayment> input) {
      return input
          .apply(
              "SpreadOverShards",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.integers(), TypeDescriptor.of(FeaturedPayment.class)))
                  .via(
                      (FeaturedPayment f) ->
                          KV.of(Math.floorMod(f.payment().eventId().hashCode(), SHARDS), f)))
          .setCoder(KvCoder.of(VarIntCoder.of(), FeaturedPaymentCoder.of()))
          .apply(
              "Batch",
              GroupIntoBatches.<Integer, FeaturedPayment>ofSize(config.maxBatch)
                  .withMaxBufferingDuration(MAX_WAIT))
          .apply("ScoreBatches", ParDo.of(new ScoreBatchFn(config)))
          .setCoder(ScoredBatchCoder.INSTANCE);
    }
  }

  /** The model and the counters of one DoFn instance; scores one TensorFlow call's payments. */
  static final class Scoring implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final ScorePayments config;
    private final Counter scored = Metrics.counter(NAMESPACE, "payments_scored");
    private final Counter calls = Metrics.counter(NAMESPACE, "model_calls");
    private final Distribution batchSize = Metrics.distribution(NAMESPACE, "batch_size");
    private final Counter[] decisions = new Counter[Thresholds.Decision.values().length];
    private transient ServingModel model;

    Scoring(ScorePayments config) {
      this.config = config;
      for (Thresholds.Decision d : Thresholds.Decision.values()) {
        decisions[d.ordinal()] = Metrics.counter(NAMESPACE, "decision_" + d.wireName());
      }
    }

    void open() {
      model = config.open();
    }

    void close() {
      if (model != null) {
        model.close(); // releases this instance's share of the process-wide model
        model = null;
      }
    }

    int maxBatch() {
      return config.maxBatch;
    }

    /** Scores at most {@code maxBatch} payments in one call. */
    List<ScoredPayment> score(List<FeaturedPayment> batch) {
      double[][] rows = new double[batch.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = batch.get(i).values();
      }
      ServingModel.Scores scores = model.score(rows);
      calls.inc();
      batchSize.update(rows.length);
      long now = System.currentTimeMillis();
      List<ScoredPayment> done = new ArrayList<>(rows.length);
      for (int i = 0; i < rows.length; i++) {
        FeaturedPayment p = batch.get(i);
        double score = scores.scores()[i];
        Thresholds.Decision d = config.thresholds.decide(score);
        decisions[d.ordinal()].inc();
        done.add(
            new ScoredPayment(
                p.payment().eventId(),
                score,
                d.wireName(),
                scores.model().name(),
                scores.model().version(),
                config.fingerprint,
                p.payment().eventTimeMillis(),
                p.processingTime(),
                now,
                p.readAtMillis(),
                p.featuresAtMillis()));
      }
      scored.inc(rows.length);
      return done;
    }
  }

  /** Scores a bundle's payments when the bundle finishes. */
  static final class ScoreFn extends DoFn<FeaturedPayment, ScoredPayment> {
    private static final long serialVersionUID = 1L;
    private final Scoring scoring;
    private transient List<Pending> pending;

    private record Pending(FeaturedPayment payment, Instant timestamp, BoundedWindow window) {}

    ScoreFn(ScorePayments config) {
      this.scoring = new Scoring(config);
    }

    @Setup
    public void setup() {
      scoring.open();
    }

    @Teardown
    public void teardown() {
      scoring.close();
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
      int max = scoring.maxBatch();
      for (int from = 0; from < pending.size(); from += max) {
        List<Pending> batch = pending.subList(from, Math.min(pending.size(), from + max));
        List<ScoredPayment> scores = scoring.score(batch.stream().map(Pending::payment).toList());
        for (int i = 0; i < scores.size(); i++) {
          c.output(scores.get(i), batch.get(i).timestamp(), batch.get(i).window());
        }
      }
      pending.clear();
    }
  }

  /** Scores one batch of {@link #inMicroBatches()} per element. */
  static final class ScoreBatchFn
      extends DoFn<KV<Integer, Iterable<FeaturedPayment>>, ScoredBatch> {
    private static final long serialVersionUID = 1L;
    private final Scoring scoring;

    ScoreBatchFn(ScorePayments config) {
      this.scoring = new Scoring(config);
    }

    @Setup
    public void setup() {
      scoring.open();
    }

    @Teardown
    public void teardown() {
      scoring.close();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<FeaturedPayment>> batch, OutputReceiver<ScoredBatch> out) {
      List<FeaturedPayment> payments = new ArrayList<>();
      batch.getValue().forEach(payments::add);
      // GroupIntoBatches keeps a batch within maxBatch, so this is one TensorFlow call.
      out.output(new ScoredBatch(payments, scoring.score(payments)));
    }
  }

  /** Coder for {@link ScoredBatch}. */
  static final class ScoredBatchCoder extends CustomCoder<ScoredBatch> {
    private static final long serialVersionUID = 1L;
    static final ScoredBatchCoder INSTANCE = new ScoredBatchCoder();
    private static final ListCoder<FeaturedPayment> PAYMENTS =
        ListCoder.of(FeaturedPaymentCoder.of());
    private static final ListCoder<ScoredPayment> SCORES = ListCoder.of(ScoredPaymentCoder.of());

    @Override
    public void encode(ScoredBatch b, OutputStream out) throws IOException {
      PAYMENTS.encode(b.payments(), out);
      SCORES.encode(b.scores(), out);
    }

    @Override
    public ScoredBatch decode(InputStream in) throws IOException {
      return new ScoredBatch(PAYMENTS.decode(in), SCORES.decode(in));
    }
  }
}
