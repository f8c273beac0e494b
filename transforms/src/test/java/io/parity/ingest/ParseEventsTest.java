package io.parity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.Field;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.metrics.JobCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ParseEventsTest {

  private static final FieldMapping JSON_PAYMENTS =
      FieldMapping.builder(FieldMapping.Kind.PAYMENTS, FieldMapping.Format.JSONL)
          .canonicalColumns(
              Field.EVENT_ID,
              Field.EVENT_TIME,
              Field.CARD_ID,
              Field.MERCHANT_ID,
              Field.AMOUNT,
              Field.CURRENCY,
              Field.CHANNEL)
          .build();

  private static final String GOOD =
      "{\"event_id\":\"tx-1\",\"event_time\":\"2026-01-05T10:15:30.123Z\",\"card_id\":\"c1\","
          + "\"merchant_id\":\"t1\",\"amount\":12.5,\"currency\":\"EUR\"}";

  /** One record of each kind of bad input, with the reason it must be dead-lettered for. */
  private static final Map<String, String> BAD =
      Map.of(
          "{\"event_id\":\"tx-2\",\"event_time\":",
          "malformed JSON",
          "{\"event_id\":\"tx-3\",\"event_time\":\"2026-01-05T10:15:30Z\",\"merchant_id\":\"t1\","
              + "\"amount\":1}",
          "card_id (column 'card_id'): missing",
          "{\"event_id\":\"tx-4\",\"event_time\":\"05/01/2026\",\"card_id\":\"c1\","
              + "\"merchant_id\":\"t1\",\"amount\":1}",
          "event_time (column 'event_time'): '05/01/2026' is not an ISO-8601 timestamp",
          "{\"event_id\":\"tx-5\",\"event_time\":\"2026-01-05T10:15:30Z\",\"card_id\":\"c1\","
              + "\"merchant_id\":\"t1\",\"amount\":-4.2}",
          "amount (column 'amount'): -4.2 is negative",
          "{\"event_id\":\"tx-6\",\"event_time\":\"2026-01-05T10:15:30Z\",\"card_id\":\"c1\","
              + "\"merchant_id\":\"t1\",\"amount\":\"NaN\"}",
          "amount (column 'amount'): NaN is not a finite number",
          "{\"event_id\":\"tx-7\",\"event_time\":\"2026-01-05T10:15:30Z\",\"card_id\":\"c1\","
              + "\"merchant_id\":\"t1\",\"amount\":3,\"currency\":\"XYZ\"}",
          "currency (column 'currency'): 'XYZ' is not an ISO-4217 currency code",
          "{\"event_id\":\"tx-8\",\"event_time\":\"2026-01-05T10:15:30Z\",\"card_id\":\"c1\","
              + "\"merchant_id\":\"t1\",\"amount\":{\"value\":3}}",
          "amount (column 'amount'): expected a number, got object",
          "[1,2,3]",
          "malformed JSON: expected an object, got array",
          "{\"event_id\":\"tx-9\",\"event_id\":\"tx-10\"}",
          "malformed JSON");

  private static Pipeline direct() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  @Test
  void everyKindOfBadRecordIsDeadLetteredWithItsReasonAndNothingIsLost() {
    List<RawRecord> input = new ArrayList<>();
    input.add(RawRecord.fromKafka("payments", 0, 0, 1767608131000L, GOOD));
    long offset = 1;
    for (String payload : BAD.keySet()) {
      input.add(RawRecord.fromKafka("payments", 0, offset++, 1767608131000L, payload));
    }
    Pipeline p = direct();
    PCollectionTuple out =
        p.apply(Create.of(input)).apply("Parse", ParseEvents.with(JSON_PAYMENTS));
    PAssert.that(out.get(ParseEvents.PAYMENTS))
        .containsInAnyOrder(
            new Ingested<>(
                new PaymentEvent(
                    "tx-1", 1767608130123L, "c1", "t1", 12.5, "EUR", null, null, null, null),
                "kafka:payments",
                0,
                0,
                1767608131000L));
    PAssert.that(out.get(ParseEvents.LABELS)).empty();
    PAssert.that(out.get(ParseEvents.DEAD_LETTERS))
        .satisfies(
            dead -> {
              Map<String, String> reasonByPayload =
                  java.util.stream.StreamSupport.stream(dead.spliterator(), false)
                      .collect(Collectors.toMap(DeadLetter::payload, DeadLetter::reason));
              assertThat(reasonByPayload.keySet()).isEqualTo(BAD.keySet());
              BAD.forEach(
                  (payload, reason) -> assertThat(reasonByPayload.get(payload)).contains(reason));
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();

    Map<String, Long> c = JobCounters.of(result, ParseEvents.METRICS_NAMESPACE);
    assertThat(c.get("records_in")).isEqualTo(input.size());
    assertThat(c.get("payments")).isEqualTo(1);
    assertThat(c.get("dead_letters_decode") + c.get("dead_letters_validate")).isEqualTo(BAD.size());
  }

  @Test
  void csvRecordsUseTheirFileHeaderAndReportColumnCountMismatches() {
    FieldMapping csv =
        FieldMapping.builder(FieldMapping.Kind.PAYMENTS, FieldMapping.Format.CSV)
            .column(Field.EVENT_ID, "id")
            .column(Field.EVENT_TIME, "ts")
            .column(Field.CARD_ID, "card")
            .column(Field.MERCHANT_ID, "term")
            .column(Field.AMOUNT, "amt")
            .build();
    List<String> header = List.of("id", "ts", "card", "term", "amt");
    Pipeline p = direct();
    PCollectionTuple out =
        p.apply(
                Create.of(
                    RawRecord.fromFile(
                        "f.csv", 2, "tx-1,2026-01-05T10:15:30Z,c1,t1,\"1,5\"", header),
                    RawRecord.fromFile("f.csv", 3, "tx-2,2026-01-05T10:15:30Z,c1,t1", header)))
            .apply("Parse", ParseEvents.with(csv));
    PAssert.that(out.get(ParseEvents.DEAD_LETTERS))
        .containsInAnyOrder(
            DeadLetter.of(
                RawRecord.fromFile("f.csv", 2, "tx-1,2026-01-05T10:15:30Z,c1,t1,\"1,5\"", header),
                "validate",
                "amount (column 'amt'): '1,5' is not a number"),
            DeadLetter.of(
                RawRecord.fromFile("f.csv", 3, "tx-2,2026-01-05T10:15:30Z,c1,t1", header),
                "decode",
                "malformed CSV: expected 5 columns (id,ts,card,term,amt), got 4"));
    p.run().waitUntilFinish();
  }

  @Test
  void labelsSourceProducesLabels() {
    FieldMapping labels =
        FieldMapping.builder(FieldMapping.Kind.LABELS, FieldMapping.Format.JSONL)
            .canonicalColumns(Field.EVENT_ID, Field.LABEL, Field.LABEL_TIME)
            .build();
    Pipeline p = direct();
    PCollectionTuple out =
        p.apply(
                Create.of(
                    RawRecord.fromKafka(
                        "labels",
                        1,
                        7,
                        1767916801000L,
                        "{\"event_id\":\"tx-1\",\"label\":true,\"label_time\":\"2026-01-09T00:00:00Z\"}")))
            .apply("Parse", ParseEvents.with(labels));
    PAssert.that(out.get(ParseEvents.LABELS))
        .containsInAnyOrder(
            new Ingested<>(
                new LabelEvent("tx-1", true, 1767916800000L),
                "kafka:labels",
                1,
                7,
                1767916801000L));
    PAssert.that(out.get(ParseEvents.PAYMENTS)).empty();
    p.run().waitUntilFinish();
  }
}
