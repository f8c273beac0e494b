package io.parity.testdata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times generating about a million payments to a JSON lines file (not a unit test: run its main).
 * Arguments: number of runs (default 3) and output directory (default a temporary one).
 */
public final class GenerateBenchmark {

  private GenerateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path dir =
        args.length > 1
            ? Files.createDirectories(Path.of(args[1]))
            : Files.createTempDirectory("parity-bench");
    // 50,000 cards x 10 days x 2 payments a day = 1,000,000 legitimate payments, plus 1 % fraud.
    PaymentGeneratorConfig config =
        PaymentGeneratorConfig.defaults()
            .withCards(50_000)
            .withMerchants(5_000)
            .withDays(10)
            .withTransactionsPerCardPerDay(2.0);
    PaymentGenerator generator = PaymentGenerator.create(config);
    double[] seconds = new double[runs];
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      GenerationSummary summary =
          PaymentFiles.write(
              generator,
              OutputFormat.JSONL,
              dir.resolve("payments.jsonl"),
              dir.resolve("labels.jsonl"),
              null);
      seconds[run] = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "run %d: %d events, %d labels, fraud rate %.4f, %.2f s, %d MB%n",
          run + 1,
          summary.events(),
          summary.labels(),
          summary.fraudRate(),
          seconds[run],
          Files.size(dir.resolve("payments.jsonl")) >> 20);
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "median of %d runs: %.2f s%n", runs, sorted[runs / 2]);
  }
}
