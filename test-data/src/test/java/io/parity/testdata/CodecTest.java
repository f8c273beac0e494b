package io.parity.testdata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final PaymentEvent FULL =
      new PaymentEvent(
          "tx-000000007",
          Instant.parse("2026-01-05T10:15:30Z").toEpochMilli(),
          "card-00042",
          "term-00017",
          12.5,
          "EUR",
          "grocery",
          51.477578,
          -0.000089,
          "pos");

  private static final PaymentEvent BARE =
      new PaymentEvent(
          "tx-000000008",
          Instant.parse("2026-01-05T10:15:30.123Z").toEpochMilli(),
          "card-00001",
          "term-00002",
          1234567.891,
          "USD",
          null,
          null,
          null,
          null);

  private final GeneratedDataset sample =
      PaymentGenerator.create(
              PaymentGeneratorConfig.defaults()
                  .withCards(150)
                  .withMerchants(50)
                  .withDays(3)
                  .withFraudRate(0.05)
                  .withMissingFieldRate(0.2))
          .generateInMemory();

  @Test
  void timesHaveExactlyThreeFractionDigitsAndAmountsTwo() {
    assertThat(CanonicalFormat.formatTime(FULL.eventTimeMillis()))
        .isEqualTo("2026-01-05T10:15:30.000Z");
    assertThat(CanonicalFormat.formatTime(BARE.eventTimeMillis()))
        .isEqualTo("2026-01-05T10:15:30.123Z");
    assertThat(CanonicalFormat.formatAmount(12.5)).isEqualTo("12.50");
    assertThat(CanonicalFormat.formatAmount(0.07)).isEqualTo("0.07");
    assertThat(CanonicalFormat.formatAmount(1234567.891)).isEqualTo("1234567.89");
    assertThat(CanonicalFormat.formatAmount(3)).isEqualTo("3.00");
    assertThat(CanonicalFormat.formatCoordinate(-0.000089)).isEqualTo("-0.000089");
    assertThatThrownBy(() -> CanonicalFormat.formatAmount(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amount must be finite");
  }

  @Test
  void jsonHasCanonicalKeysInOrderAndOmitsMissingValues() {
    assertThat(JsonLinesCodec.toJson(FULL))
        .isEqualTo(
            "{\"event_id\":\"tx-000000007\",\"event_time\":\"2026-01-05T10:15:30.000Z\","
                + "\"card_id\":\"card-00042\",\"merchant_id\":\"term-00017\",\"amount\":12.50,"
                + "\"currency\":\"EUR\",\"merchant_category\":\"grocery\","
                + "\"latitude\":51.477578,\"longitude\":-0.000089,\"channel\":\"pos\"}");
    assertThat(JsonLinesCodec.toJson(BARE))
        .isEqualTo(
            "{\"event_id\":\"tx-000000008\",\"event_time\":\"2026-01-05T10:15:30.123Z\","
                + "\"card_id\":\"card-00001\",\"merchant_id\":\"term-00002\","
                + "\"amount\":1234567.89,\"currency\":\"USD\"}");
    assertThat(JsonLinesCodec.toJson(new LabelEvent("tx-000000007", true, 0)))
        .isEqualTo(
            "{\"event_id\":\"tx-000000007\",\"label\":true,"
                + "\"label_time\":\"1970-01-01T00:00:00.000Z\"}");
  }

  @Test
  void jsonLinesRoundTripThroughPlainJackson() throws Exception {
    byte[] bytes = TestData.jsonLines(sample.events());
    String text = new String(bytes, UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("\r").doesNotContain("null");
    String[] lines = text.split("\n");
    assertThat(lines).hasSameSizeAs(sample.events().toArray());
    List<PaymentEvent> parsed = new ArrayList<>();
    for (String line : lines) {
      JsonNode node = MAPPER.readTree(line);
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      assertThat(CanonicalFormat.EVENT_COLUMNS).containsAll(keys);
      assertThat(node.get("event_time").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\.\\d{3}Z");
      assertThat(node.get("amount").isNumber()).isTrue();
      assertThat(line).containsPattern("\"amount\":\\d+\\.\\d\\d,");
      parsed.add(
          new PaymentEvent(
              node.get("event_id").asText(),
              Instant.parse(node.get("event_time").asText()).toEpochMilli(),
              node.get("card_id").asText(),
              node.get("merchant_id").asText(),
              node.get("amount").asDouble(),
              node.get("currency").asText(),
              node.has("merchant_category") ? node.get("merchant_category").asText() : null,
              node.has("latitude") ? node.get("latitude").asDouble() : null,
              node.has("longitude") ? node.get("longitude").asDouble() : null,
              node.has("channel") ? node.get("channel").asText() : null));
    }
    assertThat(parsed).isEqualTo(sample.events());
    assertThat(parsed).anyMatch(e -> e.merchantCategory() == null);
    assertThat(parsed).anyMatch(e -> e.channel() == null);
    try (Stream<PaymentEvent> read =
        JsonLinesCodec.readEvents(new BufferedReader(new StringReader(text)))) {
      assertThat(read.toList()).isEqualTo(sample.events());
    }
  }

  @Test
  void csvRoundTripsThroughPlainCommonsCsv() throws Exception {
    String text = new String(TestData.csv(sample.events()), UTF_8);
    assertThat(text)
        .startsWith(
            "event_id,event_time,card_id,merchant_id,amount,currency,merchant_category,"
                + "latitude,longitude,channel\n")
        .doesNotContain("\r");
    List<PaymentEvent> parsed = new ArrayList<>();
    try (CSVParser parser =
        CSVParser.parse(
            text, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      assertThat(parser.getHeaderNames()).isEqualTo(CanonicalFormat.EVENT_COLUMNS);
      for (CSVRecord row : parser) {
        assertThat(row.get("amount")).matches("\\d+\\.\\d\\d");
        parsed.add(
            new PaymentEvent(
                row.get("event_id"),
                Instant.parse(row.get("event_time")).toEpochMilli(),
                row.get("card_id"),
                row.get("merchant_id"),
                Double.parseDouble(row.get("amount")),
                row.get("currency"),
                emptyToNull(row.get("merchant_category")),
                row.get("latitude").isEmpty() ? null : Double.parseDouble(row.get("latitude")),
                row.get("longitude").isEmpty() ? null : Double.parseDouble(row.get("longitude")),
                emptyToNull(row.get("channel"))));
      }
    }
    assertThat(parsed).isEqualTo(sample.events());
    try (Stream<PaymentEvent> read = CsvCodec.readEvents(new StringReader(text))) {
      assertThat(read.toList()).isEqualTo(sample.events());
    }
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  @Test
  void labelsRoundTripInBothFormats() throws Exception {
    List<LabelEvent> labels = sample.labels();
    assertThat(labels).anyMatch(LabelEvent::fraud).anyMatch(l -> !l.fraud());
    String json = new String(TestData.jsonLabels(labels), UTF_8);
    List<LabelEvent> fromJson = new ArrayList<>();
    for (String line : json.split("\n")) {
      JsonNode node = MAPPER.readTree(line);
      assertThat(node.get("label").isBoolean()).isTrue();
      fromJson.add(
          new LabelEvent(
              node.get("event_id").asText(),
              node.get("label").asBoolean(),
              Instant.parse(node.get("label_time").asText()).toEpochMilli()));
    }
    assertThat(fromJson).isEqualTo(labels);

    String csv = new String(TestData.csvLabels(labels), UTF_8);
    assertThat(csv).startsWith("event_id,label,label_time\n");
    List<LabelEvent> fromCsv = new ArrayList<>();
    try (CSVParser parser =
        CSVParser.parse(
            csv, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      for (CSVRecord row : parser) {
        assertThat(row.get("label")).isIn("true", "false");
        fromCsv.add(
            new LabelEvent(
                row.get("event_id"),
                Boolean.parseBoolean(row.get("label")),
                Instant.parse(row.get("label_time")).toEpochMilli()));
      }
    }
    assertThat(fromCsv).isEqualTo(labels);
    try (Stream<LabelEvent> read = CsvCodec.readLabels(new StringReader(csv))) {
      assertThat(read.toList()).isEqualTo(labels);
    }
  }

  @Test
  void outputFormatsWriteAndReadFiles(@TempDir Path dir) throws Exception {
    PaymentGenerator generator =
        PaymentGenerator.create(
            PaymentGeneratorConfig.defaults().withCards(100).withMerchants(40).withDays(2));
    GeneratedDataset expected = generator.generateInMemory();
    for (OutputFormat format : OutputFormat.values()) {
      Path events = dir.resolve("payments." + format.extension());
      Path labels = dir.resolve("labels." + format.extension());
      Path truth = dir.resolve("fraud-" + format.extension() + ".csv");
      GenerationSummary summary = PaymentFiles.write(generator, format, events, labels, truth);
      assertThat(summary.events()).isEqualTo(expected.events().size());
      assertThat(OutputFormat.forFile(events)).isEqualTo(format);
      try (Stream<PaymentEvent> read = format.readEvents(events)) {
        assertThat(read.toList()).isEqualTo(expected.events());
      }
      try (Stream<LabelEvent> read = format.readLabels(labels)) {
        assertThat(read.toList()).isEqualTo(expected.labels());
      }
      List<String> truthLines = Files.readAllLines(truth);
      assertThat(truthLines.get(0)).isEqualTo("event_id,fraud_kind,incident_id");
      assertThat(truthLines).hasSize(expected.groundTruth().fraudEventCount() + 1);
      String firstFraud = truthLines.get(1).split(",")[0];
      assertThat(FraudKind.fromCode(truthLines.get(1).split(",")[1]))
          .isEqualTo(expected.groundTruth().kindOf(firstFraud));
    }
    assertThat(Files.readAllBytes(dir.resolve("fraud-jsonl.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("fraud-csv.csv")));
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> JsonLinesCodec.parseEvent("{\"event_id\":\"tx-1\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("missing event_time");
    assertThatThrownBy(() -> JsonLinesCodec.parseEvent("[1]"))
        .hasMessageStartingWith("expected a JSON object");
    assertThatThrownBy(() -> JsonLinesCodec.parseEvent("{oops"))
        .hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(
            () ->
                JsonLinesCodec.parseLabel(
                    "{\"event_id\":\"tx-1\",\"label\":\"yes\",\"label_time\":\"2026-01-01T00:00:00Z\"}"))
        .hasMessageStartingWith("label must be true or false");
    assertThatThrownBy(
            () -> {
              try (Stream<LabelEvent> labels =
                  CsvCodec.readLabels(new StringReader("event_id,label\ntx-1,true\n"))) {
                labels.toList();
              }
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks some of [event_id, label, label_time]");
    assertThatThrownBy(() -> CanonicalFormat.parseTime("2026-01-05 10:00"))
        .hasMessage("not an ISO-8601 instant: '2026-01-05 10:00'");
    assertThatThrownBy(() -> OutputFormat.forFile(Path.of("x.parquet")))
        .hasMessage("no output format for file x.parquet");
  }
}
