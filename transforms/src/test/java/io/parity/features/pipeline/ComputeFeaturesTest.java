package io.parity.features.pipeline;

import io.parity.events.Field;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureDefinition;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureReplay;
import io.parity.features.FeatureRow;
import io.parity.features.FeatureSpec;
import io.parity.ingest.ParseEvents;
import io.parity.ingest.RawRecord;
import io.parity.testdata.ArrivalSimulator;
import io.parity.testdata.JsonLinesCodec;
import io.parity.testdata.SampleData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ComputeFeatures on the Direct runner gives exactly the rows of the plain sequential replay, in
 * batch (sorted groups) and in streaming (state + timers, TestStream with late arrivals).
 */
@Timeout(300)
class ComputeFeaturesTest {

  static final FeatureSpec SPEC =
      new FeatureSpec(
          "all-kinds",
          ZoneId.of("Europe/Paris"),
          Duration.ofMinutes(5),
          Duration.ofDays(1),
          new LinkedHashMap<>(Map.of("card", Field.CARD_ID, "terminal", Field.MERCHANT_ID)),
          List.of(
              agg("card_count_1h", "card", AggregateFunction.COUNT, null, "PT1H", "PT0S"),
              agg("card_sum_1d", "card", AggregateFunction.SUM, Field.AMOUNT, "P1D", "PT0S"),
              agg("card_mean_7d", "card", AggregateFunction.MEAN, Field.AMOUNT, "P7D", "PT0S"),
              agg("card_max_1d", "card", AggregateFunction.MAX, Field.AMOUNT, "P1D", "PT0S"),
              agg("card_min_1d", "card", AggregateFunction.MIN, Field.AMOUNT, "P1D", "PT0S"),
              agg("card_std_7d", "card", AggregateFunction.STDDEV, Field.AMOUNT, "P7D", "PT0S"),
              agg("card_sum_1d_late1h", "card", AggregateFunction.SUM, Field.AMOUNT, "P1D", "PT1H"),
              agg(
                  "card_merchants_1d",
                  "card",
                  AggregateFunction.DISTINCT_COUNT,
                  Field.MERCHANT_ID,
                  "P1D",
                  "PT0S"),
              agg("term_count_1d", "terminal", AggregateFunction.COUNT, null, "P1D", "PT0S"),
              new FeatureDefinition.LabelAggregate(
                  "term_fraud_rate_3d",
                  "terminal",
                  FeatureDefinition.LabelFunction.FRAUD_RATE,
                  Duration.ofDays(3),
                  Duration.ofDays(1)),
              new FeatureDefinition.LabelAggregate(
                  "card_fraud_count_7d",
                  "card",
                  FeatureDefinition.LabelFunction.FRAUD_COUNT,
                  Duration.ofDays(7),
                  Duration.ZERO),
              new FeatureDefinition.TimeSinceLast("card_secs_since_last", "card"),
              new FeatureDefinition.AmountToMean(
                  "card_amount_to_mean_7d", "card", Duration.ofDays(7), Duration.ZERO),
              new FeatureDefinition.Calendar(
                  "is_weekend", FeatureDefinition.CalendarKind.WEEKEND, 22, 6),
              new FeatureDefinition.Calendar(
                  "is_night", FeatureDefinition.CalendarKind.NIGHT, 22, 6),
              new FeatureDefinition.Geo(
                  "card_km", "card", FeatureDefinition.GeoKind.DISTANCE_FROM_PREVIOUS_KM),
              new FeatureDefinition.Geo(
                  "card_kmh", "card", FeatureDefinition.GeoKind.SPEED_FROM_PREVIOUS_KMH),
              new FeatureDefinition.Categorical(
                  "mcc", Field.MERCHANT_CATEGORY, List.of("grocery", "fuel", "restaurant"))));

  static FeatureDefinition agg(
      String name, String entity, AggregateFunction f, Field field, String w, String d) {
    return new FeatureDefinition.Aggregate(
        name, entity, f, field, Duration.parse(w), Duration.parse(d));
  }

  static List<Arrival<PaymentEvent>> payments;
  static List<Arrival<LabelEvent>> labels;
  static List<String> expected;
  static FieldMapping paymentMapping;
  static FieldMapping labelMapping;

  @BeforeAll
  static void data() throws IOException {
    ArrivalSimulator arrivals = ArrivalSimulator.of(11, 0.05, Duration.ofHours(3));
    payments = arrivals.payments(SampleData.events());
    labels = arrivals.labels(SampleData.labels());
    expected = rows(FeatureReplay.replay(SPEC, payments, labels));
    // The late arrivals must matter, or the streaming test would not prove their handling.
    List<String> inEventTimeOrder =
        rows(
            FeatureReplay.replay(
                SPEC,
                payments.stream().map(a -> Arrival.unknownIngestTime(a.value())).toList(),
                labels));
    org.assertj.core.api.Assertions.assertThat(
            expected.stream().filter(r -> !inEventTimeOrder.contains(r)).count())
        .isGreaterThan(10);
    paymentMapping = FieldMapping.parse(resource("/mappings/payments-jsonl.yaml"));
    labelMapping = FieldMapping.parse(resource("/mappings/labels-jsonl.yaml"));
  }

  static String resource(String name) throws IOException {
    try (InputStream in = ComputeFeaturesTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A row as text, with each value's exact bits, so equality is bitwise. */
  static String row(String eventId, double[] values) {
    StringBuilder b = new StringBuilder(eventId);
    for (int i = 0; i < values.length; i++) {
      b.append(' ').append(SPEC.features().get(i).name()).append('=').append(values[i]);
      b.append('#').append(Long.toHexString(Double.doubleToRawLongBits(values[i])));
    }
    return b.toString();
  }

  static List<String> rows(List<FeatureRow> rows) {
    return rows.stream().map(r -> row(r.eventId(), r.values())).toList();
  }

  static RawRecord paymentRecord(Arrival<PaymentEvent> a, long offset) {
    return RawRecord.fromKafka(
        "payments", 0, offset, a.ingestTimeMillis(), JsonLinesCodec.toJson(a.value()));
  }

  static RawRecord labelRecord(Arrival<LabelEvent> a, long offset) {
    return RawRecord.fromKafka(
        "labels", 0, offset, a.ingestTimeMillis(), JsonLinesCodec.toJson(a.value()));
  }

  private static Pipeline direct() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  /** Parses the two topics' records and computes features, as both pipelines do. */
  static PCollection<String> features(PCollection<RawRecord> records, ComputeFeatures compute) {
    PCollection<RawRecord> p =
        records.apply("Payments", Filter.by((RawRecord r) -> r.source().equals("kafka:payments")));
    PCollection<RawRecord> l =
        records.apply("Labels", Filter.by((RawRecord r) -> r.source().equals("kafka:labels")));
    PCollectionTuple parsedPayments = p.apply("ParsePayments", ParseEvents.with(paymentMapping));
    PCollectionTuple parsedLabels = l.apply("ParseLabels", ParseEvents.with(labelMapping));
    return PCollectionTuple.of(ParseEvents.PAYMENTS, parsedPayments.get(ParseEvents.PAYMENTS))
        .and(ParseEvents.LABELS, parsedLabels.get(ParseEvents.LABELS))
        .apply("ComputeFeatures", compute)
        .apply(
            "AsText",
            MapElements.into(TypeDescriptors.strings())
                .via((FeaturedPayment f) -> row(f.payment().eventId(), f.values())));
  }

  static List<RawRecord> allRecords() {
    List<RawRecord> records = new ArrayList<>();
    long offset = 0;
    for (Arrival<PaymentEvent> a : payments) {
      records.add(paymentRecord(a, offset++));
    }
    for (Arrival<LabelEvent> a : labels) {
      records.add(labelRecord(a, offset++));
    }
    return records;
  }

  @Test
  void batchOnDirectEqualsTheSequentialReplay() {
    Pipeline p = direct();
    PAssert.that(features(p.apply(Create.of(allRecords())), ComputeFeatures.of(SPEC)))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void streamingOnDirectWithLateAndOutOfOrderArrivalsEqualsTheSequentialReplay() {
    // One stream in arrival (ingest time) order; element timestamp = ingest time; the watermark
    // follows arrivals, so late payments (5% up to 3 h late) arrive behind later event times.
    List<RawRecord> records = allRecords();
    records.sort(
        Comparator.comparingLong(RawRecord::ingestTimeMillis).thenComparing(RawRecord::offset));
    TestStream.Builder<RawRecord> stream =
        TestStream.create(io.parity.coders.ParityCoders.RawRecordCoder.of());
    for (int i = 0; i < records.size(); i += 100) {
      List<RawRecord> batch = records.subList(i, Math.min(records.size(), i + 100));
      List<TimestampedValue<RawRecord>> timestamped = new ArrayList<>();
      for (RawRecord r : batch) {
        timestamped.add(TimestampedValue.of(r, new Instant(r.ingestTimeMillis())));
      }
      stream =
          stream
              .addElements(
                  timestamped.get(0),
                  timestamped.subList(1, timestamped.size()).toArray(TimestampedValue[]::new))
              .advanceWatermarkTo(new Instant(batch.get(batch.size() - 1).ingestTimeMillis()));
    }
    Pipeline p = direct();
    PAssert.that(features(p.apply(stream.advanceWatermarkToInfinity()), ComputeFeatures.of(SPEC)))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
