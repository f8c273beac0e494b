package io.parity.lakehouse.training;

import io.parity.lakehouse.LakehouseTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/** Builds small silver and label tables directly with Iceberg appends (no Beam). */
final class TrainingData {
  static final String FP = "fp-1";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private TrainingData() {}

  static Instant day(double days) {
    return T0.plusSeconds((long) (days * 86_400));
  }

  static Map<String, Object> silver(
      String id, Instant t, String fingerprint, Map<String, Double> features) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("event_id", id);
    row.put("card_token", "card-" + id.hashCode() % 3);
    row.put("merchant_id", "m-1");
    row.put("event_time", t);
    row.put("spec_fingerprint", fingerprint);
    row.put("processing_time", t);
    row.putAll(features);
    return row;
  }

  static Map<String, Object> label(String id, boolean fraud, Instant labelTime) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("event_id", id);
    row.put("fraud", fraud);
    row.put("label_time", labelTime);
    row.put("source", "test");
    return row;
  }

  static void appendSilver(Catalog catalog, List<String> features, List<Map<String, Object>> rows) {
    append(LakehouseTables.ensureSilver(catalog, features), rows);
  }

  static void appendLabels(Catalog catalog, List<Map<String, Object>> rows) {
    append(LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS), rows);
  }

  /** Appends rows in one commit, one data file per partition. */
  static void append(Table table, List<Map<String, Object>> rows) {
    table.refresh();
    Schema schema = table.schema();
    PartitionSpec spec = table.spec();
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema, spec);
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    Map<PartitionKey, List<Record>> byPartition = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      Record r = LakehouseTables.toRecord(schema, row);
      PartitionKey key = new PartitionKey(spec, schema);
      key.partition(wrapper.wrap(r));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    AppendFiles append = table.newAppend();
    try {
      for (Map.Entry<PartitionKey, List<Record>> e : byPartition.entrySet()) {
        DataWriter<Record> writer =
            appenders.newDataWriter(
                files.newOutputFile(spec, e.getKey()), FileFormat.PARQUET, e.getKey());
        try (writer) {
          e.getValue().forEach(writer::write);
        }
        append.appendFile(writer.toDataFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    append.commit();
  }
}
