package io.parity.testdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The small committed sample (about 3000 payments of 300 cards at 100 terminals over 7 days, 2 %
 * fraud, seed 42) on the classpath under {@code samples/}, and the configuration that regenerates
 * it.
 */
public final class SampleData {

  public static final String EVENTS_JSONL = "samples/payments-sample.jsonl";
  public static final String EVENTS_CSV = "samples/payments-sample.csv";
  public static final String LABELS_JSONL = "samples/labels-sample.jsonl";
  public static final String GROUND_TRUTH_CSV = "samples/fraud-sample.csv";

  private SampleData() {}

  /** The configuration of the committed sample. */
  public static PaymentGeneratorConfig config() {
    return PaymentGeneratorConfig.defaults()
        .withSeed(42)
        .withStart(Instant.parse("2026-01-05T00:00:00Z"))
        .withDays(7)
        .withCards(300)
        .withMerchants(100)
        .withTransactionsPerCardPerDay(1.45)
        .withFraudRate(0.02);
  }

  /** The sample's payments, read from the classpath. */
  public static List<PaymentEvent> events() {
    try (Stream<PaymentEvent> events = JsonLinesCodec.readEvents(open(EVENTS_JSONL))) {
      return events.toList();
    }
  }

  /** The sample's labels, read from the classpath. */
  public static List<LabelEvent> labels() {
    try (Stream<LabelEvent> labels = JsonLinesCodec.readLabels(open(LABELS_JSONL))) {
      return labels.toList();
    }
  }

  /** The sample's ground truth, regenerated from {@link #config()} (it is deterministic). */
  public static GroundTruth groundTruth() {
    return PaymentGenerator.create(config()).generateInMemory().groundTruth();
  }

  private static BufferedReader open(String resource) {
    InputStream in = SampleData.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new UncheckedIOException(
          new IOException("sample resource not on the classpath: " + resource));
    }
    return new BufferedReader(new InputStreamReader(in, UTF_8));
  }
}
