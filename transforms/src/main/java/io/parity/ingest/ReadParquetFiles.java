package io.parity.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parity.coders.ParityCoders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
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
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads Parquet files as raw records, one per row, with the file and 1-based row number as
 * position. Each row's payload is its JSON form (so dead letters stay readable): timestamps with a
 * logical type become epoch milliseconds (map them with {@code time.format: epoch-millis}), dates
 * become ISO dates, decimals exact numbers.
 */
public final class ReadParquetFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  private final String filepattern;

  private ReadParquetFiles(String filepattern) {
    this.filepattern = Objects.requireNonNull(filepattern, "filepattern");
  }

  public static ReadParquetFiles of(String filepattern) {
    return new ReadParquetFiles(filepattern);
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
        .apply("ReadRows", ParDo.of(new ReadRowsFn()))
        .setCoder(ParityCoders.RawRecordCoder.of())
        .apply("Spread", Reshuffle.viaRandomKey());
  }

  static final class ReadRowsFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Counter rows =
        Metrics.counter(ParseEvents.METRICS_NAMESPACE, "file_records_read");

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(file))
              .withDataModel(GenericData.get())
              .build()) {
        GenericRecord record;
        long number = 0;
        while ((record = reader.read()) != null) {
          number++;
          rows.inc();
          out.output(RawRecord.fromFile(path, number, toJson(record), null));
        }
      }
    }
  }

  /** The JSON text of one row, with columns in schema order. */
  static String toJson(GenericRecord record) {
    try {
      return ReadRowsFn.JSON.writeValueAsString(toValue(record, record.getSchema()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot render a Parquet row as JSON", e);
    }
  }

  private static Object toValue(Object v, Schema schema) {
    if (v == null) {
      return null;
    }
    if (schema.getType() == Schema.Type.UNION) {
      int branch = GenericData.get().resolveUnion(schema, v);
      return toValue(v, schema.getTypes().get(branch));
    }
    LogicalType logical = schema.getLogicalType();
    switch (schema.getType()) {
      case RECORD -> {
        GenericRecord r = (GenericRecord) v;
        Map<String, Object> m = new LinkedHashMap<>();
        for (Schema.Field f : schema.getFields()) {
          m.put(f.name(), toValue(r.get(f.pos()), f.schema()));
        }
        return m;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (Object o : (Iterable<?>) v) {
          list.add(toValue(o, schema.getElementType()));
        }
        return list;
      }
      case MAP -> {
        Map<String, Object> m = new LinkedHashMap<>();
        ((Map<?, ?>) v).forEach((k, o) -> m.put(k.toString(), toValue(o, schema.getValueType())));
        return m;
      }
      case LONG -> {
        long l = (Long) v;
        if (logical instanceof LogicalTypes.TimestampMicros
            || logical instanceof LogicalTypes.LocalTimestampMicros) {
          return Math.floorDiv(l, 1000L);
        }
        if (logical instanceof LogicalTypes.TimestampNanos
            || logical instanceof LogicalTypes.LocalTimestampNanos) {
          return Math.floorDiv(l, 1_000_000L);
        }
        return l;
      }
      case INT -> {
        if (logical instanceof LogicalTypes.Date) {
          return LocalDate.ofEpochDay((Integer) v).toString();
        }
        return v;
      }
      case BYTES, FIXED -> {
        byte[] bytes =
            v instanceof ByteBuffer b ? bytesOf(b.duplicate()) : ((GenericFixed) v).bytes();
        if (logical instanceof LogicalTypes.Decimal d) {
          return new BigDecimal(new BigInteger(bytes), d.getScale());
        }
        return Base64.getEncoder().encodeToString(bytes);
      }
      case STRING, ENUM -> {
        return v.toString();
      }
      default -> {
        return v; // boolean, float, double
      }
    }
  }

  private static byte[] bytesOf(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  /** A Parquet {@link InputFile} over a Beam file, so any Beam file system can be read. */
  static final class ChannelInputFile implements InputFile {
    private final FileIO.ReadableFile file;

    ChannelInputFile(FileIO.ReadableFile file) {
      this.file = file;
    }

    @Override
    public long getLength() {
      return file.getMetadata().sizeBytes();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel channel = file.openSeekable();
      return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }
      };
    }
  }
}
