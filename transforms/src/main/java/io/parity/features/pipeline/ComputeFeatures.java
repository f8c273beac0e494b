package io.parity.features.pipeline;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.EntityHistory;
import io.parity.features.FeatureEngine;
import io.parity.features.FeatureReplay;
import io.parity.features.FeatureSpec;
import io.parity.ingest.Ingested;
import io.parity.ingest.ParseEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Computes a spec's features for every payment, the same way in batch and streaming: payments and
 * labels are placed at their processing time, labels are joined to their payment's entities, and
 * one keyed stage per entity applies its observations in {@link FeatureReplay#ORDER} to the shared
 * {@link FeatureEngine}.
 *
 * <p>Input: the {@link ParseEvents#PAYMENTS} and {@link ParseEvents#LABELS} collections of a tuple.
 * A bounded input groups each key's observations and sorts them (one pass, batch); an unbounded one
 * (or {@link #inStreamingMode()}) buffers them in state and applies them when the watermark passes
 * their processing time (event-time timers). Both apply the same observations in the same order.
 */
public final class ComputeFeatures
    extends PTransform<PCollectionTuple, PCollection<FeaturedPayment>> {
  private static final long serialVersionUID = 1L;
  static final String NAMESPACE = "parity.features";

  /**
   * Optional input: payments replayed to warm up the state (e.g. bronze history before a live
   * stream's cut-over). They are applied exactly like {@link ParseEvents#PAYMENTS} but produce no
   * output row. Their labels go in {@link ParseEvents#LABELS} with the others.
   */
  public static final TupleTag<Ingested<PaymentEvent>> HISTORY = new TupleTag<>("history") {};

  private static final double[] NO_VALUES = new double[0];

  private final FeatureSpec spec;
  private final boolean forceStreaming;

  private ComputeFeatures(FeatureSpec spec, boolean forceStreaming) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.forceStreaming = forceStreaming;
  }

  public static ComputeFeatures of(FeatureSpec spec) {
    return new ComputeFeatures(spec, false);
  }

  /** Uses the streaming (state and timers) strategy even for a bounded input. */
  public ComputeFeatures inStreamingMode() {
    return new ComputeFeatures(spec, true);
  }

  @Override
  public PCollection<FeaturedPayment> expand(PCollectionTuple input) {
    FeatureEngine engine = new FeatureEngine(spec);
    PCollection<Ingested<PaymentEvent>> payments = input.get(ParseEvents.PAYMENTS);
    PCollection<Ingested<LabelEvent>> labels =
        input.has(ParseEvents.LABELS)
            ? input.get(ParseEvents.LABELS)
            : input
                .getPipeline()
                .apply(
                    "NoLabels",
                    org.apache.beam.sdk.transforms.Create.empty(
                        io.parity.coders.ParityCoders.IngestedCoder.of(
                            io.parity.coders.ParityCoders.LabelEventCoder.of())));
    boolean streaming = forceStreaming || payments.isBounded() == PCollection.IsBounded.UNBOUNDED;

    PCollection<Step> paymentSteps =
        payments
            .apply("PlacePayments", ParDo.of(new PlacePaymentFn(engine, false, streaming)))
            .setCoder(StepCoders.StepCoder.INSTANCE);
    if (input.has(HISTORY)) {
      PCollection<Step> history =
          input
              .get(HISTORY)
              .apply("PlaceHistory", ParDo.of(new PlacePaymentFn(engine, true, false)))
              .setCoder(StepCoders.StepCoder.INSTANCE);
      paymentSteps =
          PCollectionList.of(paymentSteps)
              .and(history)
              .apply("WithHistory", Flatten.pCollections())
              .setCoder(StepCoders.StepCoder.INSTANCE);
    }
    PCollection<Step> labelSteps =
        labels
            .apply("PlaceLabels", ParDo.of(new PlaceLabelFn(engine)))
            .setCoder(StepCoders.StepCoder.INSTANCE);

    List<String> entities = engine.entities();
    List<TupleTag<KV<String, Step>>> labelTags = new ArrayList<>();
    for (String entity : entities) {
      labelTags.add(new TupleTag<>("labels-" + entity) {});
    }
    KvCoder<String, Step> keyed = KvCoder.of(StringUtf8Coder.of(), StepCoders.StepCoder.INSTANCE);
    PCollectionTuple routedLabels = PCollectionTuple.empty(input.getPipeline());
    if (!entities.isEmpty()) {
      // Keyed before the flatten, so the union feeds the join's exchange directly (no extra hop).
      PCollection<KV<String, Step>> byEventId =
          PCollectionList.of(
                  paymentSteps
                      .apply(
                          "KeyPaymentsByEventId",
                          // The join needs a payment's time and keys, not its feature values.
                          MapElements.into(
                                  TypeDescriptors.kvs(
                                      TypeDescriptors.strings(), TypeDescriptor.of(Step.class)))
                              .via((Step p) -> KV.of(p.eventId(), p.withValues(NO_VALUES))))
                      .setCoder(keyed))
              .and(
                  labelSteps
                      .apply(
                          "KeyLabelsByEventId",
                          MapElements.into(
                                  TypeDescriptors.kvs(
                                      TypeDescriptors.strings(), TypeDescriptor.of(Step.class)))
                              .via((Step l) -> KV.of(l.eventId(), l)))
                      .setCoder(keyed))
              .apply("FlattenForLabelJoin", Flatten.pCollections());
      TupleTagList others = TupleTagList.empty();
      for (int i = 1; i < labelTags.size(); i++) {
        others = others.and(labelTags.get(i));
      }
      routedLabels =
          streaming
              ? byEventId.apply(
                  "JoinLabels",
                  ParDo.of(new StreamingLabelJoinFn(engine, labelTags))
                      .withOutputTags(labelTags.get(0), others))
              : byEventId
                  .apply("GroupByEventId", GroupByKey.create())
                  .apply(
                      "JoinLabels",
                      ParDo.of(new BatchLabelJoinFn(engine, labelTags))
                          .withOutputTags(labelTags.get(0), others));
      for (TupleTag<KV<String, Step>> tag : labelTags) {
        routedLabels.get(tag).setCoder(keyed);
      }
    }

    PCollection<Step> current = paymentSteps;
    for (int i = 0; i < entities.size(); i++) {
      String entity = entities.get(i);
      String stage = "Entity_" + entity;
      // Payments without a key for the entity go through the stage too (under KEYLESS), so a
      // payment crosses one exchange per entity and no merge after it.
      PCollection<KV<String, Step>> observations =
          PCollectionList.of(
                  current
                      .apply(stage + "/KeyPayments", ParDo.of(new KeyByEntityFn(engine, entity)))
                      .setCoder(keyed))
              .and(routedLabels.get(labelTags.get(i)))
              .apply(stage + "/WithLabels", Flatten.pCollections());
      current =
          (streaming
                  ? observations.apply(
                      stage + "/Apply", ParDo.of(new StreamingStageFn(engine, entity)))
                  : observations
                      .apply(stage + "/Group", GroupByKey.create())
                      .apply(stage + "/Apply", ParDo.of(new BatchStageFn(engine, entity))))
              .setCoder(StepCoders.StepCoder.INSTANCE);
    }
    return current
        .apply("ToFeaturedPayments", ParDo.of(new ToFeaturedPaymentFn()))
        .setCoder(FeaturedPaymentCoder.of());
  }

  /** The final rows (replayed history has none); counted, so long jobs can show progress. */
  static final class ToFeaturedPaymentFn extends DoFn<Step, FeaturedPayment> {
    private static final long serialVersionUID = 1L;
    private final Counter done = Metrics.counter(NAMESPACE, "payments_with_features");
    private final Counter replayed = Metrics.counter(NAMESPACE, "history_payments_replayed");

    @ProcessElement
    public void process(@Element Step s, OutputReceiver<FeaturedPayment> out) {
      if (s.replay()) {
        replayed.inc();
        return;
      }
      done.inc();
      long featuresAt = s.readAtMillis() == 0 ? 0 : System.currentTimeMillis();
      out.output(
          new FeaturedPayment(
              s.payment(), s.processingTime(), s.values(), s.readAtMillis(), featuresAt));
    }
  }

  /**
   * Places a payment at its processing time and computes its history-free features. In streaming,
   * it also stamps the wall-clock time the payment entered the job (this stage runs in the source's
   * thread), for the latency breakdown.
   */
  static final class PlacePaymentFn extends DoFn<Ingested<PaymentEvent>, Step> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;
    private final boolean replay;
    private final boolean stampReads;

    PlacePaymentFn(FeatureEngine engine, boolean replay, boolean stampReads) {
      this.engine = engine;
      this.replay = replay;
      this.stampReads = stampReads;
    }

    @ProcessElement
    public void process(@Element Ingested<PaymentEvent> in, OutputReceiver<Step> out) {
      PaymentEvent p = in.value();
      long tau = engine.processingTime(p.eventTimeMillis(), in.ingestTimeMillis());
      double[] values = new double[engine.featureCount()];
      engine.computeEventFeatures(p, values);
      Step step =
          replay
              ? Step.replayedPayment(tau, p, values)
              : Step.payment(tau, p, values, stampReads ? System.currentTimeMillis() : 0L);
      // tau >= the element's timestamp (its ingest time), so moving it forward is allowed.
      out.outputWithTimestamp(step, new Instant(tau));
    }
  }

  /** Places a label at its own processing time (its payment may move it later). */
  static final class PlaceLabelFn extends DoFn<Ingested<LabelEvent>, Step> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;

    PlaceLabelFn(FeatureEngine engine) {
      this.engine = engine;
    }

    @ProcessElement
    public void process(@Element Ingested<LabelEvent> in, OutputReceiver<Step> out) {
      LabelEvent l = in.value();
      long tau = engine.labelReadyTime(l.labelTimeMillis(), in.ingestTimeMillis());
      out.outputWithTimestamp(Step.label(tau, l), new Instant(tau));
    }
  }

  /** Emits a label for each entity of its payment, at {@code max(label time, payment time)}. */
  static void routeLabel(
      FeatureEngine engine,
      List<TupleTag<KV<String, Step>>> tags,
      Step payment,
      Step label,
      boolean stamp,
      DoFn.MultiOutputReceiver out) {
    if (!engine.labelJoinable(label.processingTime(), payment.processingTime())) {
      return;
    }
    long rho = Math.max(label.processingTime(), payment.processingTime());
    Step placed = Step.label(rho, label.label());
    List<String> entities = engine.entities();
    for (int i = 0; i < entities.size(); i++) {
      String key = engine.entityKey(entities.get(i), payment.payment());
      if (key != null) {
        if (stamp) {
          // Streaming: the label's element timestamp is its processing time, like payments'.
          out.get(tags.get(i)).outputWithTimestamp(KV.of(key, placed), new Instant(rho));
        } else {
          out.get(tags.get(i)).output(KV.of(key, placed));
        }
      }
    }
  }

  /** Batch: all steps of one event id are together. */
  static final class BatchLabelJoinFn extends DoFn<KV<String, Iterable<Step>>, KV<String, Step>> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;
    private final List<TupleTag<KV<String, Step>>> tags;
    private final Counter orphans = Metrics.counter(NAMESPACE, "labels_without_payment");

    BatchLabelJoinFn(FeatureEngine engine, List<TupleTag<KV<String, Step>>> tags) {
      this.engine = engine;
      this.tags = tags;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Step>> group, MultiOutputReceiver out) {
      Step payment = null;
      List<Step> labels = new ArrayList<>();
      for (Step s : group.getValue()) {
        if (s.isPayment()) {
          if (payment != null) {
            throw new IllegalArgumentException("duplicate payment id " + group.getKey());
          }
          payment = s;
        } else {
          labels.add(s);
        }
      }
      if (payment == null) {
        orphans.inc(labels.size());
        return;
      }
      for (Step l : labels) {
        routeLabel(engine, tags, payment, l, false, out);
      }
    }
  }

  /** Streaming: remembers each payment (and labels that came first) until retention ends. */
  static final class StreamingLabelJoinFn extends DoFn<KV<String, Step>, KV<String, Step>> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;
    private final List<TupleTag<KV<String, Step>>> tags;
    private final long retentionMillis;

    @StateId("payment")
    private final StateSpec<ValueState<Step>> paymentSpec =
        StateSpecs.value(StepCoders.StepCoder.INSTANCE);

    @StateId("early")
    private final StateSpec<BagState<Step>> earlySpec =
        StateSpecs.bag(StepCoders.StepCoder.INSTANCE);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @StateId("expireAt")
    private final StateSpec<ValueState<Long>> expireAtSpec = StateSpecs.value(VarLongCoder.of());

    StreamingLabelJoinFn(FeatureEngine engine, List<TupleTag<KV<String, Step>>> tags) {
      this.engine = engine;
      this.tags = tags;
      this.retentionMillis = engine.maxRetentionMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Step> e,
        @StateId("payment") ValueState<Step> paymentState,
        @StateId("early") BagState<Step> early,
        @StateId("expireAt") ValueState<Long> expireAt,
        @TimerId("expire") Timer expire,
        DoFn.MultiOutputReceiver out) {
      Step s = e.getValue();
      Step payment = paymentState.read();
      if (s.isPayment()) {
        if (payment != null) {
          throw new IllegalArgumentException("duplicate payment id " + e.getKey());
        }
        paymentState.write(s);
        for (Step l : early.read()) {
          routeLabel(engine, tags, s, l, true, out);
        }
        early.clear();
        extend(expire, expireAt, s.processingTime() + retentionMillis + 1);
      } else if (payment != null) {
        routeLabel(engine, tags, payment, s, true, out);
      } else {
        early.add(s);
        extend(expire, expireAt, s.processingTime() + retentionMillis + 1);
      }
    }

    /** Keeps the join state until the latest expiry any of its elements needs. */
    private static void extend(Timer expire, ValueState<Long> expireAt, long at) {
      Long current = expireAt.read();
      if (current == null || at > current) {
        expire.set(new Instant(at));
        expireAt.write(at);
      }
    }

    @OnTimer("expire")
    public void expire(
        @StateId("payment") ValueState<Step> paymentState, @StateId("early") BagState<Step> early) {
      paymentState.clear();
      early.clear();
    }
  }

  /**
   * The key under which an entity stage receives payments that have no key for its entity: they see
   * only themselves (README: missing entity key) and leave no state. A parsed event's text fields
   * are never empty (blank text is read as missing), so no real key is this one.
   */
  static final String KEYLESS = "";

  /** Keys payments by the entity's key ({@link #KEYLESS} when they have none). */
  static final class KeyByEntityFn extends DoFn<Step, KV<String, Step>> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;
    private final String entity;

    KeyByEntityFn(FeatureEngine engine, String entity) {
      this.engine = engine;
      this.entity = entity;
    }

    @ProcessElement
    public void process(@Element Step s, OutputReceiver<KV<String, Step>> out) {
      String key = engine.entityKey(entity, s.payment());
      if (KEYLESS.equals(key)) {
        throw new IllegalArgumentException(
            "payment "
                + s.eventId()
                + " has an empty "
                + entity
                + " key (the parser never makes"
                + " one: blank text is missing)");
      }
      out.output(KV.of(key == null ? KEYLESS : key, s));
    }
  }

  /** Batch: sorts one key's observations and applies them in one pass. */
  static final class BatchStageFn extends DoFn<KV<String, Iterable<Step>>, Step> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;
    private final String entity;

    BatchStageFn(FeatureEngine engine, String entity) {
      this.engine = engine;
      this.entity = entity;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Step>> group, OutputReceiver<Step> out) {
      List<Step> steps = inProcessingOrder(group.getValue());
      EntityHistory history = KEYLESS.equals(group.getKey()) ? null : new EntityHistory();
      for (Step s : steps) {
        Step applied = apply(engine, entity, history, s);
        if (applied != null) {
          out.output(applied);
        }
      }
    }
  }

  /**
   * One key's steps in {@link FeatureReplay#ORDER}, the order both strategies apply them in. Each
   * step's sort key is built once, not on every comparison.
   */
  static List<Step> inProcessingOrder(Iterable<Step> steps) {
    List<FeatureReplay.Observation> keys = new ArrayList<>();
    java.util.Map<FeatureReplay.Observation, Step> byKey = new java.util.IdentityHashMap<>();
    for (Step s : steps) {
      FeatureReplay.Observation key = s.observation();
      keys.add(key);
      byKey.put(key, s);
    }
    keys.sort(FeatureReplay.ORDER);
    List<Step> ordered = new ArrayList<>(keys.size());
    keys.forEach(k -> ordered.add(byKey.get(k)));
    return ordered;
  }

  /**
   * Applies one observation; returns the payment with its values, or null for a label. A null
   * {@code history} (no key for the entity) remembers nothing.
   */
  static Step apply(FeatureEngine engine, String entity, EntityHistory history, Step s) {
    if (s.isPayment()) {
      double[] values = s.values().clone();
      engine.applyPayment(entity, history, s.payment(), s.processingTime(), values);
      return s.withValues(values);
    }
    engine.applyLabel(entity, history, s.label(), s.processingTime());
    return null;
  }

  /**
   * Streaming: buffers a key's observations and applies those at the earliest pending processing
   * time once the watermark has passed it. Every element arrives with timestamp = its processing
   * time, so nothing can arrive for a time the watermark has passed: the order is exact.
   */
  static final class StreamingStageFn extends DoFn<KV<String, Step>, Step> {
    private static final long serialVersionUID = 1L;
    private final FeatureEngine engine;
    private final String entity;

    @StateId("pending")
    private final StateSpec<BagState<Step>> pendingSpec =
        StateSpecs.bag(StepCoders.StepCoder.INSTANCE);

    @StateId("history")
    private final StateSpec<ValueState<EntityHistory>> historySpec =
        StateSpecs.value(StepCoders.EntityHistoryCoder.INSTANCE);

    @StateId("timerAt")
    private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("ready")
    private final TimerSpec readySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    StreamingStageFn(FeatureEngine engine, String entity) {
      this.engine = engine;
      this.entity = entity;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Step> e,
        @StateId("pending") BagState<Step> pending,
        @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("ready") Timer ready) {
      Step s = e.getValue();
      pending.add(s);
      Long at = timerAt.read();
      if (at == null || s.processingTime() < at) {
        schedule(ready, timerAt, s.processingTime());
      }
    }

    private static void schedule(Timer ready, ValueState<Long> timerAt, long time) {
      // Fires once the watermark is past `time`; outputs may still carry `time` itself.
      ready.withOutputTimestamp(new Instant(time)).set(new Instant(time + 1));
      timerAt.write(time);
    }

    @OnTimer("ready")
    public void onReady(
        OnTimerContext c,
        @Key String key,
        @StateId("pending") BagState<Step> pending,
        @StateId("history") ValueState<EntityHistory> historyState,
        @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("ready") Timer ready) {
      long at = timerAt.read();
      List<Step> steps = inProcessingOrder(pending.read());
      boolean keyless = KEYLESS.equals(key);
      EntityHistory history = keyless ? null : historyState.read();
      if (history == null && !keyless) {
        history = new EntityHistory();
      }
      List<Step> later = new ArrayList<>();
      for (Step s : steps) {
        if (s.processingTime() > at) {
          later.add(s);
          continue;
        }
        Step applied = apply(engine, entity, history, s);
        if (applied != null) {
          c.outputWithTimestamp(applied, new Instant(s.processingTime()));
        }
      }
      if (!keyless) {
        historyState.write(history);
      }
      pending.clear();
      later.forEach(pending::add);
      if (later.isEmpty()) {
        timerAt.clear();
      } else {
        schedule(ready, timerAt, later.get(0).processingTime());
      }
    }
  }
}
