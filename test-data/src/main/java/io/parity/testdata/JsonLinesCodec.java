package io.parity.testdata;

import static io.parity.testdata.CanonicalFormat.AMOUNT;
import static io.parity.testdata.CanonicalFormat.CARD_ID;
import static io.parity.testdata.CanonicalFormat.CHANNEL;
import static io.parity.testdata.CanonicalFormat.CURRENCY;
import static io.parity.testdata.CanonicalFormat.EVENT_ID;
import static io.parity.testdata.CanonicalFormat.EVENT_TIME;
import static io.parity.testdata.CanonicalFormat.LABEL;
import static io.parity.testdata.CanonicalFormat.LABEL_TIME;
import static io.parity.testdata.CanonicalFormat.LATITUDE;
import static io.parity.testdata.CanonicalFormat.LONGITUDE;
import static io.parity.testdata.CanonicalFormat.MERCHANT_CATEGORY;
import static io.parity.testdata.CanonicalFormat.MERCHANT_ID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.stream.Stream;

/**
 * JSON lines for payments and labels: one object per line with the canonical keys in canonical
 * order; a missing optional value has no key. Also the Kafka record value.
 */
public final class JsonLinesCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private JsonLinesCodec() {}

  /** One payment as a JSON object, without line break. */
  public static String toJson(PaymentEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      writeEvent(json, event);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen writing to a string", e);
    }
    return out.toString();
  }

  /** One label as a JSON object, without line break. */
  public static String toJson(LabelEvent label) {
    StringWriter out = new StringWriter(96);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      writeLabel(json, label);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen writing to a string", e);
    }
    return out.toString();
  }

  /** Writes payments as JSON lines to {@code out} (closing the writer closes {@code out}). */
  public static RecordWriter<PaymentEvent> eventWriter(Writer out) throws IOException {
    return new LineWriter<>(FACTORY.createGenerator(out), JsonLinesCodec::writeEvent);
  }

  /** Writes labels as JSON lines to {@code out} (closing the writer closes {@code out}). */
  public static RecordWriter<LabelEvent> labelWriter(Writer out) throws IOException {
    return new LineWriter<>(FACTORY.createGenerator(out), JsonLinesCodec::writeLabel);
  }

  /** Parses one line written by {@link #toJson(PaymentEvent)} (unknown keys are ignored). */
  public static PaymentEvent parseEvent(String line) {
    JsonNode node = readObject(line);
    Double latitude = optionalNumber(node, LATITUDE);
    Double longitude = optionalNumber(node, LONGITUDE);
    return new PaymentEvent(
        requiredText(node, EVENT_ID),
        CanonicalFormat.parseTime(requiredText(node, EVENT_TIME)),
        requiredText(node, CARD_ID),
        requiredText(node, MERCHANT_ID),
        requiredNumber(node, AMOUNT),
        requiredText(node, CURRENCY),
        optionalText(node, MERCHANT_CATEGORY),
        latitude,
        longitude,
        optionalText(node, CHANNEL));
  }

  /** Parses one line written by {@link #toJson(LabelEvent)}. */
  public static LabelEvent parseLabel(String line) {
    JsonNode node = readObject(line);
    JsonNode label = node.get(LABEL);
    if (label == null || !label.isBoolean()) {
      throw new IllegalArgumentException(LABEL + " must be true or false in: " + line);
    }
    return new LabelEvent(
        requiredText(node, EVENT_ID),
        label.booleanValue(),
        CanonicalFormat.parseTime(requiredText(node, LABEL_TIME)));
  }

  /** Payments of a JSON lines file, read lazily; close the stream to close the reader. */
  public static Stream<PaymentEvent> readEvents(BufferedReader in) {
    return in.lines()
        .filter(line -> !line.isBlank())
        .map(JsonLinesCodec::parseEvent)
        .onClose(() -> close(in));
  }

  /** Labels of a JSON lines file, read lazily; close the stream to close the reader. */
  public static Stream<LabelEvent> readLabels(BufferedReader in) {
    return in.lines()
        .filter(line -> !line.isBlank())
        .map(JsonLinesCodec::parseLabel)
        .onClose(() -> close(in));
  }

  private static void close(BufferedReader in) {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeEvent(JsonGenerator json, PaymentEvent event) throws IOException {
    json.writeStartObject();
    json.writeStringField(EVENT_ID, event.eventId());
    json.writeStringField(EVENT_TIME, CanonicalFormat.formatTime(event.eventTimeMillis()));
    json.writeStringField(CARD_ID, event.cardId());
    json.writeStringField(MERCHANT_ID, event.merchantId());
    // A JSON number with exactly two decimals, as money is written everywhere else.
    json.writeFieldName(AMOUNT);
    json.writeNumber(CanonicalFormat.formatAmount(event.amount()));
    json.writeStringField(CURRENCY, event.currency());
    if (event.merchantCategory() != null) {
      json.writeStringField(MERCHANT_CATEGORY, event.merchantCategory());
    }
    if (event.hasLocation()) {
      json.writeFieldName(LATITUDE);
      json.writeNumber(CanonicalFormat.formatCoordinate(event.latitude()));
      json.writeFieldName(LONGITUDE);
      json.writeNumber(CanonicalFormat.formatCoordinate(event.longitude()));
    }
    if (event.channel() != null) {
      json.writeStringField(CHANNEL, event.channel());
    }
    json.writeEndObject();
  }

  private static void writeLabel(JsonGenerator json, LabelEvent label) throws IOException {
    json.writeStartObject();
    json.writeStringField(EVENT_ID, label.eventId());
    json.writeBooleanField(LABEL, label.fraud());
    json.writeStringField(LABEL_TIME, CanonicalFormat.formatTime(label.labelTimeMillis()));
    json.writeEndObject();
  }

  private static JsonNode readObject(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + line, e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object, got: " + line);
    }
    return node;
  }

  private static String requiredText(JsonNode node, String key) {
    String text = optionalText(node, key);
    if (text == null) {
      throw new IllegalArgumentException("missing " + key + " in: " + node);
    }
    return text;
  }

  private static String optionalText(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(key + " must be a string in: " + node);
    }
    return value.textValue();
  }

  private static double requiredNumber(JsonNode node, String key) {
    Double number = optionalNumber(node, key);
    if (number == null) {
      throw new IllegalArgumentException("missing " + key + " in: " + node);
    }
    return number;
  }

  private static Double optionalNumber(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(key + " must be a number in: " + node);
    }
    return value.doubleValue();
  }

  /** Writes one JSON object per line through a single generator (no per-record allocation). */
  private static final class LineWriter<T> implements RecordWriter<T> {

    private interface ObjectWriter<T> {
      void write(JsonGenerator json, T record) throws IOException;
    }

    private final JsonGenerator json;
    private final ObjectWriter<T> writer;

    LineWriter(JsonGenerator json, ObjectWriter<T> writer) {
      this.json = json;
      // The default separator between root values is a space; lines need nothing but '\n'.
      this.json.setRootValueSeparator(null);
      this.writer = writer;
    }

    @Override
    public void write(T record) throws IOException {
      writer.write(json, record);
      json.writeRaw('\n');
    }

    @Override
    public void flush() throws IOException {
      json.flush();
    }

    @Override
    public void close() throws IOException {
      json.close();
    }
  }
}
