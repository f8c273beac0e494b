package io.parity.lakehouse;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * Reads one snapshot of an Iceberg table (append/overwrite tables: no delete files) as a bounded
 * collection: the data files are planned when the pipeline is built, then read in parallel.
 */
public final class ReadIcebergTable<T> extends PTransform<PBegin, PCollection<T>> {
  private static final long serialVersionUID = 1L;

  private final CatalogConfig catalog;
  private final String table; // TableIdentifier is not serializable
  private final SerializableFunction<Record, T> fromRecord;
  private final Coder<T> coder;
  private final Long snapshotId; // null: the current snapshot when the pipeline is built

  public ReadIcebergTable(
      CatalogConfig catalog,
      TableIdentifier table,
      SerializableFunction<Record, T> fromRecord,
      Coder<T> coder) {
    this(catalog, table.toString(), fromRecord, coder, null);
  }

  private ReadIcebergTable(
      CatalogConfig catalog,
      String table,
      SerializableFunction<Record, T> fromRecord,
      Coder<T> coder,
      Long snapshotId) {
    this.catalog = Objects.requireNonNull(catalog);
    this.table = table;
    this.fromRecord = Objects.requireNonNull(fromRecord);
    this.coder = Objects.requireNonNull(coder);
    this.snapshotId = snapshotId;
  }

  /** Reads the given snapshot instead of the current one (-1: the table is read as empty). */
  public ReadIcebergTable<T> atSnapshot(long snapshotId) {
    return new ReadIcebergTable<>(catalog, table, fromRecord, coder, snapshotId);
  }

  /** The snapshot that will be read (planned at construction), for the job summary. */
  public record Plan(long snapshotId, List<String> files) implements Serializable {}

  public Plan plan() {
    Table t = catalog.open().loadTable(TableIdentifier.parse(table));
    Snapshot snapshot = snapshotId == null ? t.currentSnapshot() : t.snapshot(snapshotId);
    if (snapshotId != null && snapshotId != -1 && snapshot == null) {
      throw new IllegalArgumentException(table + " has no snapshot " + snapshotId);
    }
    if (snapshot == null) {
      return new Plan(-1, List.of());
    }
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks =
        t.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new IllegalStateException(
              table + " has delete files; Parity's tables are append/overwrite only");
        }
        files.add(task.file().location());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot plan the files of " + table, e);
    }
    return new Plan(snapshot.snapshotId(), files);
  }

  @Override
  public PCollection<T> expand(PBegin input) {
    List<String> files = plan().files();
    return input
        .apply("DataFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("ReadFile", ParDo.of(new ReadFileFn<>(catalog, table, fromRecord)))
        .setCoder(coder);
  }

  static final class ReadFileFn<T> extends DoFn<String, T> {
    private static final long serialVersionUID = 1L;
    private final CatalogConfig catalog;
    private final String table;
    private final SerializableFunction<Record, T> fromRecord;
    private transient Table loaded;

    ReadFileFn(CatalogConfig catalog, String table, SerializableFunction<Record, T> fromRecord) {
      this.catalog = catalog;
      this.table = table;
      this.fromRecord = fromRecord;
    }

    @Setup
    public void setup() {
      Catalog c = catalog.open();
      loaded = c.loadTable(TableIdentifier.parse(table));
    }

    @ProcessElement
    public void process(@Element String file, OutputReceiver<T> out) throws IOException {
      Schema schema = loaded.schema();
      try (CloseableIterable<Record> records =
          Parquet.read(loaded.io().newInputFile(file))
              .project(schema)
              .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
              .build()) {
        for (Record r : records) {
          out.output(fromRecord.apply(r));
        }
      }
    }
  }
}
