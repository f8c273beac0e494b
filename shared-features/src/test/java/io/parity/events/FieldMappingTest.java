package io.parity.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FieldMappingTest {

  @Test
  void parsesAFullMapping() {
    FieldMapping m =
        FieldMapping.parse(
            """
            kind: payments
            format: csv
            fields:
              event_id: txn
              event_time: ts
              card_id: card
              merchant_id: terminal
              amount: amt
              label: is_fraud
            time:
              format: pattern
              pattern: "yyyy-MM-dd HH:mm:ss"
              zone: Europe/Paris
            default_currency: GBP
            currencies: [GBP, EUR]
            label_delay: P7D
            csv:
              delimiter: ";"
            """);
    assertThat(m.kind()).isEqualTo(FieldMapping.Kind.PAYMENTS);
    assertThat(m.format()).isEqualTo(FieldMapping.Format.CSV);
    assertThat(m.column(Field.AMOUNT)).isEqualTo("amt");
    assertThat(m.timeFormat().describe())
        .isEqualTo("pattern 'yyyy-MM-dd HH:mm:ss' in zone Europe/Paris");
    assertThat(m.defaultCurrency()).isEqualTo("GBP");
    assertThat(m.currencies()).containsExactly("GBP", "EUR");
    assertThat(m.labelDelay()).isEqualTo(Duration.ofDays(7));
    assertThat(m.csvDelimiter()).isEqualTo(';');
  }

  @Test
  void reportsEveryMistakeWithItsPath() {
    assertThatThrownBy(
            () ->
                FieldMapping.parse(
                    """
                    kind: payment
                    fields:
                      event_id: id
                      amout: amount
                    time:
                      format: epoch
                      zone: Mars/Olympus
                    default_currency: EURO
                    """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind: 'payment' is not one of payments, labels")
        .hasMessageContaining("fields.amout: unknown field; expected one of event_id, event_time")
        .hasMessageContaining("time.format: 'epoch' is not one of iso-8601")
        .hasMessageContaining("time.zone: 'Mars/Olympus' is not a time zone")
        .hasMessageContaining("default_currency: 'EURO' is not an ISO-4217 code");
  }

  @Test
  void requiredFieldsAreNamed() {
    assertThatThrownBy(() -> FieldMapping.parse("fields:\n  event_id: id\n"))
        .hasMessageContaining("fields.event_time: required for kind payments")
        .hasMessageContaining("fields.amount: required for kind payments");
  }

  @Test
  void yamlSyntaxErrorsGiveTheLine() {
    assertThatThrownBy(() -> FieldMapping.parse("fields:\n  event_id: [unclosed\n"))
        .hasMessageStartingWith("not valid YAML")
        .hasMessageContaining("line");
  }

  @Test
  void inlineLabelWithoutAnyTimeIsRefusedBecauseItWouldLeak() {
    assertThatThrownBy(
            () ->
                FieldMapping.parse(
                    """
                    fields: {event_id: a, event_time: b, card_id: c, merchant_id: d, amount: e, label: f}
                    """))
        .hasMessageContaining("an inline label needs fields.label_time or label_delay");
  }

  @Test
  void mappingSurvivesJavaSerialization() throws Exception {
    FieldMapping m =
        FieldMapping.parse(
            "fields: {event_id: a, event_time: b, card_id: c, merchant_id: d, amount: e}\n"
                + "time: {format: pattern, pattern: 'yyyy-MM-dd HH:mm', zone: UTC}\n");
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }
    FieldMapping copy;
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (FieldMapping) in.readObject();
    }
    assertThat(copy.timeFormat().toEpochMillis("1970-01-02 00:00")).isEqualTo(86_400_000L);
    assertThat(copy.columns()).isEqualTo(m.columns());
  }
}
