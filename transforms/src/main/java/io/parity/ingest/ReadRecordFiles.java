package io.parity.ingest;

import io.parity.coders.ParityCoders;
import io.parity.events.FieldMapping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * Reads JSON-lines or CSV files (optionally compressed) as raw records, one per line, with the file
 * and line number as position. A CSV file's first line is its header; a header that lacks a mapped
 * column fails the job with a message naming the column, since every record would fail. Blank lines
 * are not records; they are skipped and counted ({@code blank_lines}).
 */
public final class ReadRecordFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  private final String filepattern;
  private final FieldMapping mapping;

  private ReadRecordFiles(String filepattern, FieldMapping mapping) {
    this.filepattern = Objects.requireNonNull(filepattern, "filepattern");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    if (mapping.format() == FieldMapping.Format.PARQUET) {
      throw new IllegalArgumentException("ReadRecordFiles reads jsonl and csv; use ReadParquet");
    }
  }

  public static ReadRecordFiles of(String filepattern, FieldMapping mapping) {
    return new ReadRecordFiles(filepattern, mapping);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return input
        .apply(
            "MatchFiles",
            FileIO.match()
                .filepattern(filepattern)
                .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadLines", ParDo.of(new ReadLinesFn(mapping)))
        .setCoder(ParityCoders.RawRecordCoder.of())
        // A file is read by one worker; spread its records before the expensive steps.
        .apply("Spread", Reshuffle.viaRandomKey());
  }

  /** The column names of a CSV header line, parsed like the records under it. */
  public static List<String> csvHeader(String line, FieldMapping mapping) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(mapping.csvDelimiter()).get();
    try (CSVParser parser = CSVParser.parse(line, format)) {
      return List.copyOf(parser.getRecords().get(0).toList());
    }
  }

  static final class ReadLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private static final long serialVersionUID = 1L;
    private final FieldMapping mapping;
    private final Counter blank = Metrics.counter(ParseEvents.METRICS_NAMESPACE, "blank_lines");
    private final Counter lines =
        Metrics.counter(ParseEvents.METRICS_NAMESPACE, "file_records_read");

    ReadLinesFn(FieldMapping mapping) {
      this.mapping = mapping;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      boolean csv = mapping.format() == FieldMapping.Format.CSV;
      List<String> header = csv ? mapping.csvHeader() : null;
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(file.open()), StandardCharsets.UTF_8))) {
        String line;
        long number = 0;
        while ((line = reader.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            blank.inc();
            continue;
          }
          if (csv && header == null) {
            header = parseHeader(path, line);
            continue;
          }
          lines.inc();
          out.output(RawRecord.fromFile(path, number, line, csv ? header : null));
        }
      }
    }

    private List<String> parseHeader(String path, String line) throws IOException {
      List<String> header = csvHeader(line, mapping);
      for (String column : mapping.columns().values()) {
        if (!header.contains(column)) {
          throw new IllegalArgumentException(
              "CSV file "
                  + path
                  + " has no column '"
                  + column
                  + "' named in the mapping; its header is: "
                  + String.join(",", header));
        }
      }
      return header;
    }
  }
}
