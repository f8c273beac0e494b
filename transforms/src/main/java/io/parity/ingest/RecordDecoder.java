package io.parity.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parity.events.FieldMapping;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Decodes a raw record's text into column values (text, number, boolean, nested map/list, or null)
 * for {@link io.parity.events.EventParser}. Not thread-safe; one per DoFn instance.
 */
public final class RecordDecoder {

  /** The record's text is not well-formed for its format; the message says where. */
  public static final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedRecordException(String message) {
      super(message, null, false, false);
    }
  }

  private final FieldMapping mapping;
  private final ObjectMapper json;
  private final CSVFormat csv;

  public RecordDecoder(FieldMapping mapping) {
    this.mapping = mapping;
    this.json = new ObjectMapper();
    json.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    this.csv = CSVFormat.DEFAULT.builder().setDelimiter(mapping.csvDelimiter()).get();
  }

  public Map<String, Object> decode(RawRecord raw) throws MalformedRecordException {
    return switch (mapping.format()) {
      case JSONL, PARQUET -> decodeJson(raw.payload());
      case CSV -> decodeCsv(raw);
    };
  }

  private Map<String, Object> decodeJson(String text) throws MalformedRecordException {
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      throw new MalformedRecordException("malformed JSON" + where + ": " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new MalformedRecordException("malformed JSON: empty record");
    }
    if (!node.isObject()) {
      throw new MalformedRecordException(
          "malformed JSON: expected an object, got " + node.getNodeType().name().toLowerCase());
    }
    Map<String, Object> row = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      row.put(e.getKey(), toValue(e.getValue()));
    }
    return row;
  }

  private static Object toValue(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isNumber()) {
      return n.numberValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      n.forEach(c -> list.add(toValue(c)));
      return list;
    }
    Map<String, Object> map = new HashMap<>();
    n.fields().forEachRemaining(e -> map.put(e.getKey(), toValue(e.getValue())));
    return map;
  }

  private Map<String, Object> decodeCsv(RawRecord raw) throws MalformedRecordException {
    List<String> header = raw.header() != null ? raw.header() : mapping.csvHeader();
    if (header == null) {
      throw new MalformedRecordException(
          "CSV record without a header: give the mapping a csv.header for headerless sources");
    }
    CSVRecord record;
    try (CSVParser parser = CSVParser.parse(new StringReader(raw.payload()), csv)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        throw new MalformedRecordException(
            "malformed CSV: expected one record, found " + records.size());
      }
      record = records.get(0);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new MalformedRecordException("malformed CSV: " + e.getMessage());
    }
    if (record.size() != header.size()) {
      throw new MalformedRecordException(
          "malformed CSV: expected "
              + header.size()
              + " columns ("
              + String.join(",", header)
              + "), got "
              + record.size());
    }
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      row.put(header.get(i), record.get(i));
    }
    return row;
  }
}
