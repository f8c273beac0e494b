package io.parity.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parity.events.Field;
import io.parity.events.FieldMapping;
import io.parity.privacy.CardTokenizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Replaces the card id inside a raw payload by its token, so the lakehouse can keep payloads "as
 * received" without keeping card numbers. JSON is re-serialized (compact, same fields in the same
 * order); a CSV line is re-rendered with only the card column changed.
 */
public final class PayloadTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FieldMapping mapping;
  private final CardTokenizer tokenizer;

  public PayloadTokenizer(FieldMapping mapping, CardTokenizer tokenizer) {
    this.mapping = mapping;
    this.tokenizer = tokenizer;
  }

  /**
   * The payload with the card column tokenized. A payload without a decodable card column (a label,
   * or a record that is not valid JSON/CSV) is returned as received: callers keep such records only
   * in the dead-letter output.
   */
  public String tokenize(String payload, List<String> header) {
    String column = mapping.column(Field.CARD_ID);
    if (column == null) {
      return payload;
    }
    return switch (mapping.format()) {
      case JSONL, PARQUET -> tokenizeJson(payload, column);
      case CSV -> tokenizeCsv(payload, column, header != null ? header : mapping.csvHeader());
    };
  }

  private String tokenizeJson(String payload, String column) {
    try {
      JsonNode node = JSON.readTree(payload);
      if (node instanceof ObjectNode o && o.get(column) != null && !o.get(column).isNull()) {
        JsonNode card = o.get(column);
        String id = card.isTextual() ? card.textValue().trim() : card.asText();
        o.put(column, tokenizer.token(id));
        return JSON.writeValueAsString(o);
      }
      return payload;
    } catch (IOException e) {
      return payload; // not JSON: it is a dead letter, kept verbatim there
    }
  }

  private String tokenizeCsv(String payload, String column, List<String> header) {
    if (header == null || !header.contains(column)) {
      return payload;
    }
    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(mapping.csvDelimiter()).get();
    try (CSVParser parser = CSVParser.parse(payload, format)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1 || records.get(0).size() != header.size()) {
        return payload;
      }
      List<String> values = new ArrayList<>(records.get(0).toList());
      int i = header.indexOf(column);
      values.set(i, tokenizer.token(values.get(i).trim()));
      StringWriter out = new StringWriter();
      try (CSVPrinter printer =
          new CSVPrinter(out, format.builder().setRecordSeparator("").get())) {
        printer.printRecord(values);
      }
      return out.toString();
    } catch (IOException | java.io.UncheckedIOException e) {
      return payload;
    }
  }
}
