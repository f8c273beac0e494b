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

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV with a header row for payments, labels and ground truth: canonical columns in canonical
 * order, {@code \n} line ends, a missing optional value is an empty cell.
 */
public final class CsvCodec {

  private static final CSVFormat READ =
      CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

  private CsvCodec() {}

  private static CSVFormat writeFormat(List<String> columns) {
    return CSVFormat.DEFAULT
        .builder()
        .setHeader(columns.toArray(String[]::new))
        .setRecordSeparator('\n')
        .get();
  }

  /** Writes payments with a header row to {@code out} (closing the writer closes {@code out}). */
  public static RecordWriter<PaymentEvent> eventWriter(Writer out) throws IOException {
    return new PrinterWriter<>(
        writeFormat(CanonicalFormat.EVENT_COLUMNS).print(out),
        event ->
            new Object[] {
              event.eventId(),
              CanonicalFormat.formatTime(event.eventTimeMillis()),
              event.cardId(),
              event.merchantId(),
              CanonicalFormat.formatAmount(event.amount()),
              event.currency(),
              event.merchantCategory(),
              event.hasLocation() ? CanonicalFormat.formatCoordinate(event.latitude()) : null,
              event.hasLocation() ? CanonicalFormat.formatCoordinate(event.longitude()) : null,
              event.channel()
            });
  }

  /** Writes labels with a header row to {@code out} (closing the writer closes {@code out}). */
  public static RecordWriter<LabelEvent> labelWriter(Writer out) throws IOException {
    return new PrinterWriter<>(
        writeFormat(CanonicalFormat.LABEL_COLUMNS).print(out),
        label ->
            new Object[] {
              label.eventId(),
              Boolean.toString(label.fraud()),
              CanonicalFormat.formatTime(label.labelTimeMillis())
            });
  }

  /**
   * Writes the ground truth of fraudulent payments ({@code event_id, fraud_kind, incident_id});
   * legitimate payments are skipped.
   */
  public static RecordWriter<GeneratedPayment> groundTruthWriter(Writer out) throws IOException {
    RecordWriter<GeneratedPayment> all =
        new PrinterWriter<>(
            writeFormat(CanonicalFormat.GROUND_TRUTH_COLUMNS).print(out),
            payment ->
                new Object[] {
                  payment.event().eventId(),
                  payment.fraudKind().code(),
                  Integer.toString(payment.incidentId())
                });
    return new RecordWriter<>() {
      @Override
      public void write(GeneratedPayment payment) throws IOException {
        if (payment.isFraud()) {
          all.write(payment);
        }
      }

      @Override
      public void flush() throws IOException {
        all.flush();
      }

      @Override
      public void close() throws IOException {
        all.close();
      }
    };
  }

  /** Payments of a CSV file with a header row, read lazily; close the stream to close it. */
  public static Stream<PaymentEvent> readEvents(Reader in) throws IOException {
    return read(in, CanonicalFormat.EVENT_COLUMNS, CsvCodec::toEvent);
  }

  /** Labels of a CSV file with a header row, read lazily; close the stream to close it. */
  public static Stream<LabelEvent> readLabels(Reader in) throws IOException {
    return read(in, CanonicalFormat.LABEL_COLUMNS, CsvCodec::toLabel);
  }

  private static <T> Stream<T> read(Reader in, List<String> columns, Function<CSVRecord, T> parse)
      throws IOException {
    CSVParser parser = CSVParser.builder().setReader(in).setFormat(READ).get();
    List<String> header = parser.getHeaderNames();
    if (!header.containsAll(columns)) {
      parser.close();
      throw new IllegalArgumentException("CSV header " + header + " lacks some of " + columns);
    }
    return parser.stream()
        .map(parse)
        .onClose(
            () -> {
              try {
                parser.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private static PaymentEvent toEvent(CSVRecord row) {
    String latitude = optional(row, LATITUDE);
    String longitude = optional(row, LONGITUDE);
    return new PaymentEvent(
        required(row, EVENT_ID),
        CanonicalFormat.parseTime(required(row, EVENT_TIME)),
        required(row, CARD_ID),
        required(row, MERCHANT_ID),
        CanonicalFormat.parseNumber(AMOUNT, required(row, AMOUNT)),
        required(row, CURRENCY),
        optional(row, MERCHANT_CATEGORY),
        latitude == null ? null : CanonicalFormat.parseNumber(LATITUDE, latitude),
        longitude == null ? null : CanonicalFormat.parseNumber(LONGITUDE, longitude),
        optional(row, CHANNEL));
  }

  private static LabelEvent toLabel(CSVRecord row) {
    return new LabelEvent(
        required(row, EVENT_ID),
        CanonicalFormat.parseLabel(required(row, LABEL)),
        CanonicalFormat.parseTime(required(row, LABEL_TIME)));
  }

  private static String required(CSVRecord row, String column) {
    String value = optional(row, column);
    if (value == null) {
      throw new IllegalArgumentException(
          "empty " + column + " in CSV record " + row.getRecordNumber());
    }
    return value;
  }

  private static String optional(CSVRecord row, String column) {
    if (!row.isSet(column)) {
      throw new IllegalArgumentException(
          "CSV record " + row.getRecordNumber() + " has too few cells for " + column);
    }
    String value = row.get(column);
    return value.isEmpty() ? null : value;
  }

  private static final class PrinterWriter<T> implements RecordWriter<T> {
    private final CSVPrinter printer;
    private final Function<T, Object[]> cells;

    PrinterWriter(CSVPrinter printer, Function<T, Object[]> cells) {
      this.printer = printer;
      this.cells = cells;
    }

    @Override
    public void write(T record) throws IOException {
      printer.printRecord(cells.apply(record));
    }

    @Override
    public void flush() throws IOException {
      printer.flush();
    }

    @Override
    public void close() throws IOException {
      printer.close(true);
    }
  }
}
