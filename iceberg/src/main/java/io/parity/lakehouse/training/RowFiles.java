package io.parity.lakehouse.training;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes pulled training-set rows ({@code event_id, event_time, split, label, features...}) as
 * deterministic Parquet or CSV: same rows in, same bytes out.
 */
final class RowFiles {
  private RowFiles() {}

  /** The Avro schema of the Parquet file (event_time as timestamp-micros, UTC). */
  static Schema avroSchema(List<String> features) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("training_row")
            .namespace("io.parity.training")
            .fields()
            .requiredString("event_id")
            .name("event_time")
            .type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .optionalString("split")
            .requiredBoolean("label");
    for (String f : features) {
      if (!f.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "feature column '" + f + "' is not a valid Parquet/Avro field name: pull as csv");
      }
      fields = fields.optionalDouble(f);
    }
    return fields.endRecord();
  }

  /**
   * Parquet through parquet-avro on a local file: one row group, a fixed writer configuration and
   * no time in the metadata, so the bytes depend only on the rows.
   */
  static void writeParquet(Path file, List<String> features, List<Object[]> rows)
      throws IOException {
    Schema schema = avroSchema(features);
    Files.deleteIfExists(file);
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
            .withSchema(schema)
            .withDataModel(GenericData.get())
            .withConf(new Configuration(false))
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withDictionaryEncoding(true)
            .build()) {
      for (Object[] row : rows) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("event_id", row[0]);
        r.put("event_time", ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) row[1]));
        r.put("split", row[2]);
        r.put("label", row[3]);
        for (int j = 0; j < features.size(); j++) {
          r.put(features.get(j), row[4 + j]);
        }
        writer.write(r);
      }
    }
    canonicalizeFooter(file);
  }

  /**
   * Rewrites the Parquet footer with its unordered parts in a fixed order. parquet-mr lists a
   * column chunk's encodings from a {@code HashSet} of enums, whose iteration order follows
   * identity hash codes and so changes from one JVM to the next; sorting them (and the encoding
   * stats and key-value metadata) makes the bytes depend on the rows only. Data pages are
   * untouched: the footer only moves within the file's tail.
   */
  static void canonicalizeFooter(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int n = bytes.length;
    ByteBuffer tail = ByteBuffer.wrap(bytes, n - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
    int footerLength = tail.getInt();
    int footerStart = n - 8 - footerLength;
    if (footerStart < 4
        || bytes[n - 4] != 'P'
        || bytes[n - 3] != 'A'
        || bytes[n - 2] != 'R'
        || bytes[n - 1] != '1') {
      throw new IOException(file + " is not a Parquet file with a plain footer");
    }
    FileMetaData metadata =
        Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, footerLength));
    for (RowGroup group : metadata.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        List<Encoding> encodings = new ArrayList<>(column.getEncodings());
        encodings.sort(Comparator.comparingInt(Encoding::getValue));
        column.setEncodings(encodings);
        if (column.isSetEncoding_stats()) {
          List<PageEncodingStats> stats = new ArrayList<>(column.getEncoding_stats());
          stats.sort(
              Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                  .thenComparingInt(s -> s.getEncoding().getValue()));
          column.setEncoding_stats(stats);
        }
      }
    }
    if (metadata.isSetKey_value_metadata()) {
      List<KeyValue> keyValues = new ArrayList<>(metadata.getKey_value_metadata());
      keyValues.sort(Comparator.comparing(KeyValue::getKey));
      metadata.setKey_value_metadata(keyValues);
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(metadata, footer);
    ByteArrayOutputStream out = new ByteArrayOutputStream(footerStart + footer.size() + 8);
    out.write(bytes, 0, footerStart);
    footer.writeTo(out);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    out.write(new byte[] {'P', 'A', 'R', '1'});
    Files.write(file, out.toByteArray());
  }

  /** RFC 4180 CSV with a header; empty fields for nulls; {@code \n} line ends. */
  static void writeCsv(Path file, List<String> columns, List<Object[]> rows) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(String.join(",", columns.stream().map(RowFiles::csv).toList()));
      out.write('\n');
      StringBuilder line = new StringBuilder();
      for (Object[] row : rows) {
        line.setLength(0);
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            line.append(',');
          }
          Object v = row[i];
          if (v == null) {
            continue;
          } else if (v instanceof Double d) {
            line.append(Double.toString(d));
          } else {
            line.append(csv(v.toString()));
          }
        }
        out.write(line.toString());
        out.write('\n');
      }
    }
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
