package io.parity.testdata;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Deterministic generator of card payments with injected fraud and late labels: the same
 * configuration (seed included) always gives exactly the same events, labels and ground truth.
 *
 * <p>Each pass simulates from scratch and streams: memory holds about one simulated day of payments
 * plus the labels (a fraction of the events), never the whole event history.
 */
public final class PaymentGenerator {

  /** Ids are {@code tx-} plus 9 digits; keep well below that so they sort in numeric order. */
  private static final double MAX_EXPECTED_EVENTS = 500_000_000;

  private final PaymentGeneratorConfig config;

  private PaymentGenerator(PaymentGeneratorConfig config) {
    this.config = config;
  }

  /** A generator for the configuration; fails if it would produce more than 5*10^8 events. */
  public static PaymentGenerator create(PaymentGeneratorConfig config) {
    Objects.requireNonNull(config, "config");
    double expected = config.expectedLegitimateEvents() / (1 - config.fraudRate());
    if (expected > MAX_EXPECTED_EVENTS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "cards x days x transactionsPerCardPerDay gives about %.0f events;"
                  + " at most %.0f are supported",
              expected,
              MAX_EXPECTED_EVENTS));
    }
    return new PaymentGenerator(config);
  }

  public PaymentGeneratorConfig config() {
    return config;
  }

  /** A new pass over the payments, in event order (time, then id), generated as they are read. */
  public Iterator<GeneratedPayment> payments() {
    return new GenerationRun(config);
  }

  /** Runs one pass: every payment, then every label, into the sink. */
  public GenerationSummary generate(PaymentSink sink) throws IOException {
    Objects.requireNonNull(sink, "sink");
    GenerationRun run = new GenerationRun(config);
    while (run.hasNext()) {
      sink.acceptPayment(run.next());
    }
    List<LabelEvent> labels = run.labels();
    for (LabelEvent label : labels) {
      sink.acceptLabel(label);
    }
    return new GenerationSummary(run.emitted(), labels.size(), run.eventsByKind());
  }

  /** Runs one pass and keeps everything in memory (for tests and samples, not for millions). */
  public GeneratedDataset generateInMemory() {
    List<GeneratedPayment> payments = new ArrayList<>();
    List<LabelEvent> labels = new ArrayList<>();
    try {
      generate(
          new PaymentSink() {
            @Override
            public void acceptPayment(GeneratedPayment payment) {
              payments.add(payment);
            }

            @Override
            public void acceptLabel(LabelEvent label) {
              labels.add(label);
            }
          });
    } catch (IOException e) {
      // The sink above does no I/O; keep the cause if that ever changes.
      throw new UncheckedIOException(e);
    }
    List<PaymentEvent> events = payments.stream().map(GeneratedPayment::event).toList();
    return new GeneratedDataset(events, labels, GroundTruth.of(payments));
  }
}
