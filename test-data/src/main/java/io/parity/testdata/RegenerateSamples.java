package io.parity.testdata;

import io.parity.events.PaymentEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Rewrites the committed sample files from {@link SampleData#config()}. Argument: the output
 * directory (default {@code test-data/src/main/resources/samples}, relative to the repository).
 */
public final class RegenerateSamples {

  private RegenerateSamples() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "test-data/src/main/resources/samples");
    Files.createDirectories(dir);
    PaymentGenerator generator = PaymentGenerator.create(SampleData.config());
    GenerationSummary summary =
        PaymentFiles.write(
            generator,
            OutputFormat.JSONL,
            dir.resolve(fileName(SampleData.EVENTS_JSONL)),
            dir.resolve(fileName(SampleData.LABELS_JSONL)),
            dir.resolve(fileName(SampleData.GROUND_TRUTH_CSV)));
    try (RecordWriter<PaymentEvent> csv =
        OutputFormat.CSV.openEventWriter(dir.resolve(fileName(SampleData.EVENTS_CSV)))) {
      Iterator<GeneratedPayment> payments = generator.payments();
      while (payments.hasNext()) {
        csv.write(payments.next().event());
      }
    }
    System.out.println("Wrote the samples to " + dir.toAbsolutePath() + ": " + summary);
  }

  private static String fileName(String resource) {
    return resource.substring(resource.lastIndexOf('/') + 1);
  }
}
