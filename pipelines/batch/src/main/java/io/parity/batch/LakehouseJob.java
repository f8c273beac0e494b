package io.parity.batch;

import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.ComputeFeatures;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.Ingested;
import io.parity.ingest.ParseEvents;
import io.parity.ingest.PayloadTokenizer;
import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.CatalogOptions;
import io.parity.lakehouse.LakehouseTables;
import io.parity.lakehouse.ReadBronze;
import io.parity.lakehouse.WriteToIceberg;
import io.parity.metrics.JobCounters;
import io.parity.metrics.Progress;
import io.parity.privacy.CardTokenizer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code parity batch}: the batch layer. First ingests payments and labels into the bronze tables
 * (the immutable master dataset; card ids tokenized; re-running the same input adds nothing), then
 * recomputes the views from the whole of bronze with the shared feature transform: silver.features
 * for the spec's fingerprint (other fingerprints' rows stay) and the gold daily aggregates.
 */
public final class LakehouseJob {
  private LakehouseJob() {}

  /** What a run did. */
  public record Summary(
      String runId,
      long recordsIn,
      long payments,
      long labels,
      long deadLetters,
      String fingerprint,
      Map<String, Long> snapshots,
      Map<String, Long> tableRecords,
      Duration ingestTime,
      Duration recomputeTime) {
    public double eventsPerSecond() {
      double seconds = (ingestTime.toNanos() + recomputeTime.toNanos()) / 1e9;
      return recordsIn / Math.max(1e-9, seconds);
    }
  }

  public static void main(String[] args) {
    org.apache.beam.sdk.options.PipelineOptionsFactory.register(LakehouseOptions.class);
    System.out.println(
        run(
            org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(args)
                .withValidation()
                .as(LakehouseOptions.class)));
  }

  /** The catalog these options describe. */
  public static CatalogConfig catalog(LakehouseOptions o) {
    return CatalogOptions.catalog(o);
  }

  /** Reads the tokenization key; a missing or short key fails fast. */
  public static CardTokenizer tokenizer(String keyFile) {
    return CatalogOptions.tokenizer(keyFile);
  }

  public static Summary run(LakehouseOptions options) {
    FeatureSpec spec = SpecFile.load(Path.of(options.getSpec()));
    String fingerprint = SpecFingerprint.of(spec);
    CatalogConfig catalog = catalog(options);
    CardTokenizer tokenizer = tokenizer(options.getTokenKeyFile());
    String runId = options.getRunId() != null ? options.getRunId() : UUID.randomUUID().toString();
    long ingestedAt = Instant.now().toEpochMilli();
    var cat = catalog.open();
    for (var id :
        List.of(
            LakehouseTables.BRONZE_EVENTS,
            LakehouseTables.BRONZE_LABELS,
            LakehouseTables.GOLD_CARD_DAILY,
            LakehouseTables.GOLD_MERCHANT_DAILY)) {
      LakehouseTables.ensure(cat, id);
    }
    LakehouseTables.ensureSilver(cat, spec.featureNames());
    LakehouseTables.requireCardTokenKey(cat, tokenizer.keyId());

    // 1. Ingest into bronze.
    FieldMapping mapping = FieldMapping.load(Path.of(options.getMapping()));
    // A topic continues after what bronze holds of it: every record is ingested once.
    ReadBronze.Snapshots before = ReadBronze.current(catalog).snapshots();
    Sources.Planned payments =
        Sources.payments(
            options,
            mapping,
            options.getTopic() == null
                ? Map.of()
                : ReadBronze.nextOffsets(
                    cat, LakehouseTables.BRONZE_EVENTS, before.events(), options.getTopic()));
    Pipeline ingest = Pipeline.create(options);
    PCollectionTuple parsed =
        ingest
            .apply("ReadPayments", payments.read())
            .apply("ParsePayments", ParseEvents.with(mapping).keepingPayloads());
    List<PCollection<DeadLetter>> dead =
        new ArrayList<>(List.of(parsed.get(ParseEvents.DEAD_LETTERS)));
    long expected = payments.expectedRecords();
    PayloadTokenizer payloadTokenizer = new PayloadTokenizer(mapping, tokenizer);
    parsed
        .get(ParseEvents.PAYMENTS)
        .apply(
            "ToBronzeEvents",
            WriteToIceberg.<Ingested<PaymentEvent>>to(
                    catalog,
                    LakehouseTables.BRONZE_EVENTS,
                    bronzeEvent(tokenizer, payloadTokenizer, runId, ingestedAt))
                .withRunId(runId)
                .withSourceId("events:" + payments.sourceId())
                .withMode(WriteToIceberg.Mode.APPEND));
    if (options.getLabelsMapping() != null) {
      FieldMapping labelsMapping = FieldMapping.load(Path.of(options.getLabelsMapping()));
      Sources.Planned labels =
          Sources.labels(
              options,
              labelsMapping,
              options.getLabelsTopic() == null
                  ? Map.of()
                  : ReadBronze.nextOffsets(
                      cat,
                      LakehouseTables.BRONZE_LABELS,
                      before.labels(),
                      options.getLabelsTopic()));
      PCollectionTuple parsedLabels =
          ingest
              .apply("ReadLabels", labels.read())
              .apply("ParseLabels", ParseEvents.with(labelsMapping));
      dead.add(parsedLabels.get(ParseEvents.DEAD_LETTERS));
      parsedLabels
          .get(ParseEvents.LABELS)
          .apply(
              "ToBronzeLabels",
              WriteToIceberg.<Ingested<LabelEvent>>to(
                      catalog, LakehouseTables.BRONZE_LABELS, bronzeLabel(runId, ingestedAt))
                  .withRunId(runId)
                  .withSourceId("labels:" + labels.sourceId())
                  .withMode(WriteToIceberg.Mode.APPEND));
      expected =
          expected < 0 || labels.expectedRecords() < 0 ? -1 : expected + labels.expectedRecords();
    }
    PCollectionList.of(dead)
        .apply("FlattenDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", new IngestPipeline.WriteDeadLetters(options.getOutput()));
    Progress.Finished ingested =
        Progress.run(ingest, ParseEvents.METRICS_NAMESPACE, "bronze ingest");
    Duration ingestTime = ingested.elapsed();
    IngestJob.Summary counts =
        IngestJob.summarize(
            JobCounters.of(ingested.result(), ParseEvents.METRICS_NAMESPACE), expected, ingestTime);

    // 2. Recompute silver and gold from the whole of bronze.
    Pipeline recompute = Pipeline.create(options);
    PCollectionTuple bronze = recompute.apply("ReadBronze", ReadBronze.current(catalog));
    PCollection<Ingested<PaymentEvent>> bronzePayments = bronze.get(ParseEvents.PAYMENTS);
    PCollection<Ingested<LabelEvent>> bronzeLabels = bronze.get(ParseEvents.LABELS);
    PCollection<FeaturedPayment> features =
        bronze.apply("ComputeFeatures", ComputeFeatures.of(spec));
    List<String> names = spec.featureNames();
    features.apply(
        "ToSilver",
        WriteToIceberg.<FeaturedPayment>to(
                catalog, LakehouseTables.SILVER_FEATURES, silverRow(fingerprint, names))
            .withRunId(runId)
            .withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)
            .withOverwriteFilter("spec_fingerprint", fingerprint));
    writeGold(bronzePayments, bronzeLabels, catalog, runId, ingestedAt);
    Duration recomputeTime =
        Progress.run(recompute, "parity.features", "silver/gold recompute").elapsed();

    Map<String, Long> snapshots = new LinkedHashMap<>();
    Map<String, Long> tableRecords = new LinkedHashMap<>();
    var after = catalog.open();
    for (var id :
        List.of(
            LakehouseTables.BRONZE_EVENTS,
            LakehouseTables.BRONZE_LABELS,
            LakehouseTables.SILVER_FEATURES,
            LakehouseTables.GOLD_CARD_DAILY,
            LakehouseTables.GOLD_MERCHANT_DAILY)) {
      var snapshot = after.loadTable(id).currentSnapshot();
      snapshots.put(id.toString(), snapshot == null ? -1L : snapshot.snapshotId());
      tableRecords.put(
          id.toString(),
          snapshot == null
              ? 0L
              : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0")));
    }
    return new Summary(
        runId,
        counts.recordsIn(),
        counts.payments(),
        counts.labelsOnly(),
        counts.deadLetters(),
        fingerprint,
        snapshots,
        tableRecords,
        ingestTime,
        recomputeTime);
  }

  static SerializableFunction<Ingested<PaymentEvent>, Map<String, Object>> bronzeEvent(
      CardTokenizer tokenizer, PayloadTokenizer payloads, String runId, long ingestedAt) {
    return in -> {
      PaymentEvent e = in.value();
      Map<String, Object> row = new HashMap<>();
      row.put("event_id", e.eventId());
      row.put("event_time", e.eventTimeMillis());
      row.put("card_token", tokenizer.token(e.cardId()));
      row.put("merchant_id", e.merchantId());
      row.put("amount", e.amount());
      row.put("currency", e.currency());
      row.put("merchant_category", e.merchantCategory());
      row.put("latitude", e.latitude());
      row.put("longitude", e.longitude());
      row.put("channel", e.channel());
      row.put("payload", in.payload() == null ? null : payloads.tokenize(in.payload(), null));
      putIngestion(row, in, runId, ingestedAt);
      return row;
    };
  }

  static SerializableFunction<Ingested<LabelEvent>, Map<String, Object>> bronzeLabel(
      String runId, long ingestedAt) {
    return in -> {
      Map<String, Object> row = new HashMap<>();
      row.put("event_id", in.value().eventId());
      row.put("fraud", in.value().fraud());
      row.put("label_time", in.value().labelTimeMillis());
      putIngestion(row, in, runId, ingestedAt);
      return row;
    };
  }

  private static void putIngestion(
      Map<String, Object> row, Ingested<?> in, String runId, long ingestedAt) {
    row.put("source", in.source());
    row.put("source_partition", in.partition());
    row.put("source_offset", in.offset());
    row.put("ingest_time", in.ingestTimeMillis() == Arrival.UNKNOWN ? null : in.ingestTimeMillis());
    row.put("ingested_at", ingestedAt);
    row.put("run_id", runId);
  }

  static SerializableFunction<FeaturedPayment, Map<String, Object>> silverRow(
      String fingerprint, List<String> names) {
    return f -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("event_id", f.payment().eventId());
      row.put("card_token", f.payment().cardId()); // bronze holds tokens only
      row.put("merchant_id", f.payment().merchantId());
      row.put("event_time", f.payment().eventTimeMillis());
      row.put("spec_fingerprint", fingerprint);
      row.put("processing_time", f.processingTime());
      for (int i = 0; i < names.size(); i++) {
        row.put(names.get(i), f.values()[i]);
      }
      return row;
    };
  }

  /** Daily counts, amounts and frauds known at {@code asOf} per card and per merchant. */
  private static void writeGold(
      PCollection<Ingested<PaymentEvent>> payments,
      PCollection<Ingested<LabelEvent>> labels,
      CatalogConfig catalog,
      String runId,
      long asOf) {
    TupleTag<PaymentEvent> paymentTag = new TupleTag<>() {};
    TupleTag<LabelEvent> labelTag = new TupleTag<>() {};
    var byId =
        KeyedPCollectionTuple.of(
                paymentTag,
                payments.apply(
                    "PaymentById",
                    MapElements.into(
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptor.of(PaymentEvent.class)))
                        .via((Ingested<PaymentEvent> i) -> KV.of(i.value().eventId(), i.value()))))
            .and(
                labelTag,
                labels.apply(
                    "LabelById",
                    MapElements.into(
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptor.of(LabelEvent.class)))
                        .via((Ingested<LabelEvent> i) -> KV.of(i.value().eventId(), i.value()))))
            .apply("JoinLabels", CoGroupByKey.create());
    PCollection<KV<String, Double>> cards =
        byId.apply("CardFacts", ParDo.of(new FactsFn(paymentTag, labelTag, asOf, true)));
    PCollection<KV<String, Double>> merchants =
        byId.apply("MerchantFacts", ParDo.of(new FactsFn(paymentTag, labelTag, asOf, false)));
    writeDaily(cards, "Card", "card_token", LakehouseTables.GOLD_CARD_DAILY, catalog, runId, asOf);
    writeDaily(
        merchants,
        "Merchant",
        "merchant_id",
        LakehouseTables.GOLD_MERCHANT_DAILY,
        catalog,
        runId,
        asOf);
  }

  /**
   * Emits {@code "day|key|measure" -> value} facts for one payment: 1 payment, its amount, and 1
   * fraud if its latest label known at {@code asOf} is fraud.
   */
  static final class FactsFn extends DoFn<KV<String, CoGbkResult>, KV<String, Double>> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<PaymentEvent> paymentTag;
    private final TupleTag<LabelEvent> labelTag;
    private final long asOf;
    private final boolean byCard;

    FactsFn(TupleTag<PaymentEvent> p, TupleTag<LabelEvent> l, long asOf, boolean byCard) {
      this.paymentTag = p;
      this.labelTag = l;
      this.asOf = asOf;
      this.byCard = byCard;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> e, OutputReceiver<KV<String, Double>> out) {
      LabelEvent latest = null;
      for (LabelEvent l : e.getValue().getAll(labelTag)) {
        if (l.labelTimeMillis() <= asOf
            && (latest == null || l.labelTimeMillis() > latest.labelTimeMillis())) {
          latest = l;
        }
      }
      for (PaymentEvent p : e.getValue().getAll(paymentTag)) {
        String day =
            Instant.ofEpochMilli(p.eventTimeMillis())
                .atZone(ZoneOffset.UTC)
                .toLocalDate()
                .toString();
        String prefix = day + "|" + (byCard ? p.cardId() : p.merchantId()) + "|";
        out.output(KV.of(prefix + "payments", 1.0));
        out.output(KV.of(prefix + "amount_sum", p.amount()));
        out.output(KV.of(prefix + "fraud_known", latest != null && latest.fraud() ? 1.0 : 0.0));
      }
    }
  }

  private static void writeDaily(
      PCollection<KV<String, Double>> facts,
      String name,
      String keyColumn,
      org.apache.iceberg.catalog.TableIdentifier table,
      CatalogConfig catalog,
      String runId,
      long asOf) {
    facts
        .apply(name + "Sum", Combine.perKey(new SumInOrder()))
        .apply(
            name + "Regroup",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(),
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles())))
                .via(
                    (KV<String, Double> kv) -> {
                      int cut = kv.getKey().lastIndexOf('|');
                      return KV.of(
                          kv.getKey().substring(0, cut),
                          KV.of(kv.getKey().substring(cut + 1), kv.getValue()));
                    }))
        .apply(name + "ByDayAndKey", org.apache.beam.sdk.transforms.GroupByKey.create())
        // A grouped Iterable may be iterated only once on Flink: materialize the three measures.
        .apply(
            name + "Materialize",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(),
                        TypeDescriptors.lists(
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptors.doubles()))))
                .via(
                    (KV<String, Iterable<KV<String, Double>>> kv) -> {
                      List<KV<String, Double>> measures = new ArrayList<>();
                      kv.getValue().forEach(measures::add);
                      return KV.of(kv.getKey(), measures);
                    }))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(),
                org.apache.beam.sdk.coders.ListCoder.of(
                    KvCoder.of(StringUtf8Coder.of(), org.apache.beam.sdk.coders.DoubleCoder.of()))))
        .apply(
            name + "ToGold",
            WriteToIceberg.<KV<String, List<KV<String, Double>>>>to(
                    catalog,
                    table,
                    kv -> {
                      String[] dayKey = kv.getKey().split("\\|", 2);
                      Map<String, Object> row = new HashMap<>();
                      row.put("day", java.time.LocalDate.parse(dayKey[0]));
                      row.put(keyColumn, dayKey[1]);
                      for (KV<String, Double> m : kv.getValue()) {
                        row.put(
                            m.getKey(),
                            m.getKey().equals("amount_sum")
                                ? (Object) m.getValue()
                                : (Object) Math.round(m.getValue()));
                      }
                      row.put("as_of", asOf);
                      return row;
                    })
                .withRunId(runId)
                .withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)
                .withOverwriteAll());
  }

  /**
   * Sums values in a fixed order (sorted) so a day's amount is the same number on every runner,
   * whatever the order the combiner saw them in.
   */
  static final class SumInOrder extends Combine.CombineFn<Double, List<Double>, Double> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<Double> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<Double> addInput(List<Double> acc, Double v) {
      acc.add(v);
      return acc;
    }

    @Override
    public List<Double> mergeAccumulators(Iterable<List<Double>> accs) {
      List<Double> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public Double extractOutput(List<Double> acc) {
      List<Double> sorted = new ArrayList<>(acc);
      sorted.sort(Double::compare);
      double sum = 0.0;
      for (double v : sorted) {
        sum += v;
      }
      return sum;
    }
  }
}
