package io.parity.testdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/** Shared generated data for the tests: generated once per JVM (the generator is deterministic). */
final class TestData {

  private TestData() {}

  /** About 60 000 payments of 2000 cards over two weeks, 2 % fraud: enough of every pattern. */
  static final PaymentGeneratorConfig MEDIUM =
      PaymentGeneratorConfig.defaults()
          .withSeed(7)
          .withCards(2000)
          .withMerchants(400)
          .withDays(14)
          .withFraudRate(0.02);

  private static GeneratedDataset medium;

  static synchronized GeneratedDataset medium() {
    if (medium == null) {
      medium = PaymentGenerator.create(MEDIUM).generateInMemory();
    }
    return medium;
  }

  static byte[] jsonLines(List<PaymentEvent> events) {
    return write(events, out -> wrap(() -> JsonLinesCodec.eventWriter(out)));
  }

  static byte[] jsonLabels(List<LabelEvent> labels) {
    return write(labels, out -> wrap(() -> JsonLinesCodec.labelWriter(out)));
  }

  static byte[] csv(List<PaymentEvent> events) {
    return write(events, out -> wrap(() -> CsvCodec.eventWriter(out)));
  }

  static byte[] csvLabels(List<LabelEvent> labels) {
    return write(labels, out -> wrap(() -> CsvCodec.labelWriter(out)));
  }

  private interface Opener<T> {
    RecordWriter<T> open() throws IOException;
  }

  private static <T> RecordWriter<T> wrap(Opener<T> opener) {
    try {
      return opener.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> byte[] write(
      List<T> records, Function<OutputStreamWriter, RecordWriter<T>> open) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (RecordWriter<T> writer = open.apply(new OutputStreamWriter(bytes, UTF_8))) {
      for (T record : records) {
        writer.write(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Great-circle distance in km, computed independently of the generator's own helper. */
  static double km(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double a =
        Math.sin(dp / 2) * Math.sin(dp / 2)
            + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
