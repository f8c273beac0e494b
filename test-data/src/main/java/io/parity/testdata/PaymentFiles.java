package io.parity.testdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Writes one generation pass to files: payments, labels and (optionally) the ground truth. */
public final class PaymentFiles {

  private PaymentFiles() {}

  /**
   * Streams the generator's payments to {@code eventsFile} and its labels to {@code labelsFile},
   * both in {@code format}; when {@code groundTruthCsv} is not null, also the fraud ground truth as
   * CSV. Files are replaced.
   */
  public static GenerationSummary write(
      PaymentGenerator generator,
      OutputFormat format,
      Path eventsFile,
      Path labelsFile,
      Path groundTruthCsv)
      throws IOException {
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(eventsFile, "eventsFile");
    Objects.requireNonNull(labelsFile, "labelsFile");
    try (RecordWriter<PaymentEvent> events = format.openEventWriter(eventsFile);
        RecordWriter<LabelEvent> labels = format.openLabelWriter(labelsFile);
        RecordWriter<GeneratedPayment> truth =
            groundTruthCsv == null
                ? null
                : CsvCodec.groundTruthWriter(Files.newBufferedWriter(groundTruthCsv, UTF_8))) {
      return generator.generate(
          new PaymentSink() {
            @Override
            public void acceptPayment(GeneratedPayment payment) throws IOException {
              events.write(payment.event());
              if (truth != null) {
                truth.write(payment);
              }
            }

            @Override
            public void acceptLabel(LabelEvent label) throws IOException {
              labels.write(label);
            }
          });
    }
  }
}
