package io.parity.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventParserTest {

  private static final FieldMapping CANONICAL =
      FieldMapping.builder(FieldMapping.Kind.PAYMENTS, FieldMapping.Format.JSONL)
          .canonicalColumns(Field.values())
          .column(Field.LABEL, "label")
          .column(Field.LABEL_TIME, "label_time")
          .build();

  private static Map<String, Object> validRow() {
    Map<String, Object> row = new HashMap<>();
    row.put("event_id", "tx-1");
    row.put("event_time", "2026-01-05T10:15:30.123Z");
    row.put("card_id", "card-1");
    row.put("merchant_id", "term-1");
    row.put("amount", 12.5);
    row.put("currency", "usd");
    row.put("merchant_category", "grocery");
    row.put("latitude", 48.85);
    row.put("longitude", 2.35);
    row.put("channel", "pos");
    return row;
  }

  private static ParseResult parse(Map<String, Object> row) {
    return new EventParser(CANONICAL).parse(row);
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> row = validRow();
    row.put(key, value);
    return row;
  }

  @Test
  void parsesAValidPaymentWithAllFields() {
    ParseResult r = parse(validRow());
    assertThat(r.error()).isNull();
    assertThat(r.payment())
        .isEqualTo(
            new PaymentEvent(
                "tx-1",
                Instant.parse("2026-01-05T10:15:30.123Z").toEpochMilli(),
                "card-1",
                "term-1",
                12.5,
                "USD",
                "grocery",
                48.85,
                2.35,
                "pos"));
    assertThat(r.label()).isNull();
  }

  @Test
  void optionalFieldsMayBeAbsentAndCurrencyDefaults() {
    Map<String, Object> row = validRow();
    row.remove("currency");
    row.remove("merchant_category");
    row.remove("latitude");
    row.remove("longitude");
    row.put("channel", "");
    PaymentEvent p = parse(row).payment();
    assertThat(p.currency()).isEqualTo("EUR");
    assertThat(p.merchantCategory()).isNull();
    assertThat(p.hasLocation()).isFalse();
    assertThat(p.channel()).isNull();
  }

  @Test
  void missingRequiredFieldNamesFieldAndColumn() {
    Map<String, Object> row = validRow();
    row.remove("card_id");
    assertThat(parse(row).error()).isEqualTo("card_id (column 'card_id'): missing");
  }

  @Test
  void reportsEveryProblemOfARecord() {
    Map<String, Object> row = validRow();
    row.remove("event_id");
    row.put("amount", -3);
    assertThat(parse(row).error())
        .contains("event_id (column 'event_id'): missing")
        .contains("amount (column 'amount'): -3 is negative");
  }

  @Test
  void rejectsNegativeNanInfiniteAndNonNumericAmounts() {
    assertThat(parse(with("amount", -0.01)).error()).contains("is negative");
    assertThat(parse(with("amount", "NaN")).error()).contains("NaN is not a finite number");
    assertThat(parse(with("amount", Double.NaN)).error()).contains("is not a finite number");
    assertThat(parse(with("amount", "Infinity")).error()).contains("is not a finite number");
    assertThat(parse(with("amount", "12,50")).error()).contains("'12,50' is not a number");
    assertThat(parse(with("amount", "0x1p3")).error()).contains("is not a number");
  }

  @Test
  void acceptsZeroAndNumericTextAmountsAndNormalisesNegativeZero() {
    assertThat(parse(with("amount", "12.50")).payment().amount()).isEqualTo(12.5);
    assertThat(parse(with("amount", -0.0)).payment().amount()).isEqualTo(0.0);
    assertThat(Double.doubleToRawLongBits(parse(with("amount", -0.0)).payment().amount()))
        .isEqualTo(Double.doubleToRawLongBits(0.0));
  }

  @Test
  void rejectsWrongTypes() {
    assertThat(parse(with("amount", true)).error())
        .isEqualTo("amount (column 'amount'): expected a number, got boolean true");
    assertThat(parse(with("amount", Map.of("value", 1))).error())
        .isEqualTo("amount (column 'amount'): expected a number, got object");
    assertThat(parse(with("card_id", List.of("a"))).error())
        .isEqualTo("card_id (column 'card_id'): expected text, got array");
    assertThat(parse(with("card_id", 12.5)).error())
        .isEqualTo("card_id (column 'card_id'): expected text, got number 12.5");
    assertThat(parse(with("event_time", 1767608130)).error())
        .contains("expected an ISO-8601 timestamp as text, got number");
  }

  @Test
  void integralNumericIdsBecomeText() {
    assertThat(parse(with("card_id", 42)).payment().cardId()).isEqualTo("42");
    assertThat(parse(with("card_id", 42.0)).payment().cardId()).isEqualTo("42");
  }

  @Test
  void rejectsUnknownAndMalformedCurrencies() {
    assertThat(parse(with("currency", "XYZ")).error())
        .isEqualTo("currency (column 'currency'): 'XYZ' is not an ISO-4217 currency code");
    assertThat(parse(with("currency", "EURO")).error()).contains("not an ISO-4217");
  }

  @Test
  void currencyAllowListIsEnforced() {
    FieldMapping m =
        FieldMapping.builder(FieldMapping.Kind.PAYMENTS, FieldMapping.Format.JSONL)
            .canonicalColumns(Field.EVENT_ID, Field.EVENT_TIME, Field.CARD_ID, Field.MERCHANT_ID)
            .canonicalColumns(Field.AMOUNT, Field.CURRENCY)
            .currencies("EUR", "GBP")
            .build();
    assertThat(new EventParser(m).parse(with("currency", "USD")).error())
        .isEqualTo("currency (column 'currency'): 'USD' is not an accepted currency (EUR, GBP)");
  }

  @Test
  void rejectsBadTimestamps() {
    assertThat(parse(with("event_time", "yesterday")).error())
        .isEqualTo(
            "event_time (column 'event_time'): 'yesterday' is not an ISO-8601 timestamp"
                + " (e.g. 2026-01-05T10:15:30.123Z)");
    assertThat(parse(with("event_time", "2026-02-30T10:00:00Z")).error())
        .contains("is not an ISO-8601 timestamp");
  }

  @Test
  void rejectsCoordinatesOutOfRangeOrAlone() {
    assertThat(parse(with("latitude", 91)).error())
        .isEqualTo("latitude (column 'latitude'): 91 is outside [-90, 90]");
    Map<String, Object> row = validRow();
    row.remove("longitude");
    assertThat(parse(row).error()).contains("only one of the two is present");
  }

  @Test
  void inlineLabelComesWithItsLabelTime() {
    Map<String, Object> row = validRow();
    row.put("label", "1");
    row.put("label_time", "2026-01-12T00:00:00Z");
    ParseResult r = parse(row);
    assertThat(r.label())
        .isEqualTo(
            new LabelEvent("tx-1", true, Instant.parse("2026-01-12T00:00:00Z").toEpochMilli()));
    row.put("label_time", "2026-01-01T00:00:00Z");
    assertThat(parse(row).error()).contains("is before the event time");
  }

  @Test
  void inlineLabelWithoutTimeUsesTheDeclaredDelay() {
    FieldMapping m =
        FieldMapping.builder(FieldMapping.Kind.PAYMENTS, FieldMapping.Format.CSV)
            .canonicalColumns(
                Field.EVENT_ID, Field.EVENT_TIME, Field.CARD_ID, Field.MERCHANT_ID, Field.AMOUNT)
            .column(Field.LABEL, "is_fraud")
            .labelDelay(Duration.ofDays(7))
            .build();
    Map<String, Object> row = validRow();
    row.put("is_fraud", "0");
    ParseResult r = new EventParser(m).parse(row);
    assertThat(r.label().fraud()).isFalse();
    assertThat(r.label().labelTimeMillis() - r.payment().eventTimeMillis())
        .isEqualTo(Duration.ofDays(7).toMillis());
  }

  @Test
  void parsesLabels() {
    FieldMapping m =
        FieldMapping.builder(FieldMapping.Kind.LABELS, FieldMapping.Format.JSONL)
            .canonicalColumns(Field.EVENT_ID, Field.LABEL, Field.LABEL_TIME)
            .build();
    EventParser p = new EventParser(m);
    assertThat(
            p.parse(Map.of("event_id", "tx-9", "label", true, "label_time", "2026-01-09T00:00:00Z"))
                .label())
        .isEqualTo(new LabelEvent("tx-9", true, 1767916800000L));
    assertThat(
            p.parse(
                    Map.of(
                        "event_id", "tx-9", "label", "maybe", "label_time", "2026-01-09T00:00:00Z"))
                .error())
        .startsWith("label (column 'label'): expected true/false");
  }

  @Test
  void labelMappingRejectsPaymentFields() {
    assertThatThrownBy(
            () ->
                FieldMapping.builder(FieldMapping.Kind.LABELS, FieldMapping.Format.JSONL)
                    .canonicalColumns(Field.EVENT_ID, Field.LABEL, Field.LABEL_TIME, Field.AMOUNT)
                    .build())
        .hasMessageContaining("fields.amount: not a field of kind labels");
  }
}
