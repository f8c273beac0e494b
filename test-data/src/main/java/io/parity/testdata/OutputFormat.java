package io.parity.testdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * File formats for payments and labels. Each constant writes and reads files with the canonical
 * columns; a new format (e.g. Parquet) is one more constant implementing the four methods.
 */
public enum OutputFormat {
  /** JSON lines, UTF-8: {@link JsonLinesCodec}. */
  JSONL("jsonl") {
    @Override
    public RecordWriter<PaymentEvent> openEventWriter(Path file) throws IOException {
      return JsonLinesCodec.eventWriter(Files.newBufferedWriter(file, UTF_8));
    }

    @Override
    public RecordWriter<LabelEvent> openLabelWriter(Path file) throws IOException {
      return JsonLinesCodec.labelWriter(Files.newBufferedWriter(file, UTF_8));
    }

    @Override
    public Stream<PaymentEvent> readEvents(Path file) throws IOException {
      return JsonLinesCodec.readEvents(Files.newBufferedReader(file, UTF_8));
    }

    @Override
    public Stream<LabelEvent> readLabels(Path file) throws IOException {
      return JsonLinesCodec.readLabels(Files.newBufferedReader(file, UTF_8));
    }
  },
  /** CSV with a header row, UTF-8: {@link CsvCodec}. */
  CSV("csv") {
    @Override
    public RecordWriter<PaymentEvent> openEventWriter(Path file) throws IOException {
      return CsvCodec.eventWriter(Files.newBufferedWriter(file, UTF_8));
    }

    @Override
    public RecordWriter<LabelEvent> openLabelWriter(Path file) throws IOException {
      return CsvCodec.labelWriter(Files.newBufferedWriter(file, UTF_8));
    }

    @Override
    public Stream<PaymentEvent> readEvents(Path file) throws IOException {
      return CsvCodec.readEvents(Files.newBufferedReader(file, UTF_8));
    }

    @Override
    public Stream<LabelEvent> readLabels(Path file) throws IOException {
      return CsvCodec.readLabels(Files.newBufferedReader(file, UTF_8));
    }
  };

  private final String extension;

  OutputFormat(String extension) {
    this.extension = extension;
  }

  /** File name extension without the dot, e.g. {@code jsonl}. */
  public String extension() {
    return extension;
  }

  /** Creates (or replaces) a payment file. */
  public abstract RecordWriter<PaymentEvent> openEventWriter(Path file) throws IOException;

  /** Creates (or replaces) a label file. */
  public abstract RecordWriter<LabelEvent> openLabelWriter(Path file) throws IOException;

  /** Payments of a file, read lazily: close the stream. */
  public abstract Stream<PaymentEvent> readEvents(Path file) throws IOException;

  /** Labels of a file, read lazily: close the stream. */
  public abstract Stream<LabelEvent> readLabels(Path file) throws IOException;

  /** The format of a file, by its extension. */
  public static OutputFormat forFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (OutputFormat format : values()) {
      if (name.endsWith("." + format.extension)) {
        return format;
      }
    }
    throw new IllegalArgumentException("no output format for file " + file);
  }
}
