package io.parity.cli;

import io.parity.events.EventParser;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.ParseResult;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureReplay;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.ingest.RawRecord;
import io.parity.ingest.RecordDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parity bench replay}: times the plain sequential feature loop (the benchmark baseline).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark baselines (see BENCHMARKS.md).",
    subcommands = {BenchCommand.Replay.class, LatencyBench.class})
final class BenchCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description =
          "Loads payments (and labels) into memory, then times FeatureReplay, the plain"
              + " sequential loop with the same engine the pipelines use, over several runs.")
  static final class Replay implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "payments file (JSONL or CSV)")
    Path input;

    @Option(names = "--mapping", required = true)
    Path mapping;

    @Option(names = "--labels", description = "labels file")
    Path labels;

    @Option(names = "--labels-mapping")
    Path labelsMapping;

    @Option(names = "--spec", required = true)
    Path spec;

    @Option(names = "--runs", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int runs;

    @Override
    public Integer call() throws IOException, RecordDecoder.MalformedRecordException {
      FeatureSpec s = SpecFile.load(spec);
      List<Arrival<PaymentEvent>> payments = new ArrayList<>();
      for (ParseResult r : parseAll(input, FieldMapping.load(mapping))) {
        payments.add(Arrival.unknownIngestTime(r.payment()));
      }
      List<Arrival<LabelEvent>> labelList = new ArrayList<>();
      if (labels != null) {
        for (ParseResult r : parseAll(labels, FieldMapping.load(labelsMapping))) {
          labelList.add(Arrival.unknownIngestTime(r.label()));
        }
      }
      double[] rates = new double[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        int rows = FeatureReplay.replay(s, payments, labelList).size();
        double seconds = (System.nanoTime() - t0) / 1e9;
        rates[i] = rows / seconds;
        System.out.printf(
            "replay run %d: %d rows in %.2f s (%.0f payments/s)%n", i + 1, rows, seconds, rates[i]);
      }
      Arrays.sort(rates);
      System.out.printf("MEDIAN replay: %.0f payments/s over %d runs%n", rates[runs / 2], runs);
      return 0;
    }

    /** Every record of a file, parsed; a bad record fails the benchmark (inputs are generated). */
    private static List<ParseResult> parseAll(Path file, FieldMapping m)
        throws IOException, RecordDecoder.MalformedRecordException {
      RecordDecoder decoder = new RecordDecoder(m);
      EventParser parser = new EventParser(m);
      List<ParseResult> out = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(file)) {
        String line;
        List<String> header = null;
        long n = 0;
        while ((line = in.readLine()) != null) {
          n++;
          if (m.format() == FieldMapping.Format.CSV && header == null) {
            header = io.parity.ingest.ReadRecordFiles.csvHeader(line, m);
            continue;
          }
          ParseResult r =
              parser.parse(decoder.decode(RawRecord.fromFile(file.toString(), n, line, header)));
          if (!r.isValid()) {
            throw new IllegalArgumentException(file + ":" + n + ": " + r.error());
          }
          out.add(r);
        }
      }
      return out;
    }
  }
}
