package io.parity.lakehouse;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Deterministic sample payments and helpers to read tables back in tests. */
final class TestEvents {
  /** 2026-11-23T00:00:00Z: events spread over this day and the next two. */
  static final long DAY0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();

  private TestEvents() {}

  /** A payment as a test pipeline carries it. */
  record Payment(String id, long timeMillis, String card, double amount, Integer partition)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** {@code n} payments over three days, ids prefixed so runs can be told apart. */
  static List<Payment> payments(String prefix, int n) {
    List<Payment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long time = DAY0 + (i % 3) * 86_400_000L + i * 1_000L + 7;
      out.add(new Payment(prefix + i, time, "tok_" + (i % 17), 0.5 + i * 1.25, i % 4));
    }
    return out;
  }

  /** Maps a payment to bronze.events columns. */
  static SerializableFunction<Payment, Map<String, Object>> bronzeColumns(String runId) {
    return p -> {
      Map<String, Object> row = new HashMap<>();
      row.put("event_id", p.id());
      row.put("event_time", p.timeMillis());
      row.put("card_token", p.card());
      row.put("merchant_id", "m" + (p.id().hashCode() & 7));
      row.put("amount", p.amount());
      row.put("currency", "EUR");
      row.put("payload", "{\"id\":\"" + p.id() + "\"}");
      row.put("source", "test");
      row.put("source_partition", p.partition());
      row.put("source_offset", (long) p.id().length());
      row.put("ingested_at", Instant.ofEpochMilli(DAY0 + 5 * 86_400_000L));
      row.put("run_id", runId);
      return row;
    };
  }

  /** The key columns a reader must see for a payment: id, time, card, amount. */
  static List<Object> expectedKey(Payment p) {
    return List.of(
        p.id(),
        OffsetDateTime.ofInstant(Instant.ofEpochMilli(p.timeMillis()), ZoneOffset.UTC),
        p.card(),
        p.amount());
  }

  static List<Object> key(Record r) {
    return List.of(
        r.getField("event_id"),
        r.getField("event_time"),
        r.getField("card_token"),
        r.getField("amount"));
  }

  /** Every row of the table's current snapshot, through Iceberg's own reader. */
  static List<Record> read(Table table) {
    table.refresh();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** Appends rows to a table in one commit without Beam (one data file per partition). */
  static void append(Table table, List<Map<String, Object>> rows) {
    org.apache.iceberg.Schema schema = table.schema();
    org.apache.iceberg.PartitionSpec spec = table.spec();
    org.apache.iceberg.data.GenericAppenderFactory appenders =
        new org.apache.iceberg.data.GenericAppenderFactory(schema, spec);
    org.apache.iceberg.io.OutputFileFactory files =
        org.apache.iceberg.io.OutputFileFactory.builderFor(table, 0, 0)
            .format(org.apache.iceberg.FileFormat.PARQUET)
            .build();
    org.apache.iceberg.data.InternalRecordWrapper wrapper =
        new org.apache.iceberg.data.InternalRecordWrapper(schema.asStruct());
    Map<org.apache.iceberg.PartitionKey, List<Record>> byPartition =
        new java.util.LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      Record r = LakehouseTables.toRecord(schema, row);
      org.apache.iceberg.PartitionKey key = new org.apache.iceberg.PartitionKey(spec, schema);
      key.partition(wrapper.wrap(r));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    org.apache.iceberg.AppendFiles append = table.newAppend();
    try {
      for (Map.Entry<org.apache.iceberg.PartitionKey, List<Record>> e : byPartition.entrySet()) {
        org.apache.iceberg.io.DataWriter<Record> writer =
            appenders.newDataWriter(
                files.newOutputFile(spec, e.getKey()),
                org.apache.iceberg.FileFormat.PARQUET,
                e.getKey());
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

  /** Every Parquet file under the table's data directory (referenced or orphaned). */
  static long parquetFilesOnDisk(Table table) {
    Path data = Path.of(LakehouseSql.localPath(table.location())).resolve("data");
    if (!Files.exists(data)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data files a snapshot references. */
  static long referencedDataFiles(org.apache.iceberg.Snapshot snapshot) {
    return Long.parseLong(snapshot.summary().get("total-data-files"));
  }

  /** The data files the table's current snapshot references. */
  static long referencedDataFiles(Table table) {
    table.refresh();
    if (table.currentSnapshot() == null) {
      return 0;
    }
    return Long.parseLong(table.currentSnapshot().summary().get("total-data-files"));
  }
}
