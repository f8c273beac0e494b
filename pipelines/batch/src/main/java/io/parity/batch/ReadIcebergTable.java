package io.parity.batch;

import io.parity.lakehouse.CatalogConfig;
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
final class ReadIcebergTable<T> extends PTransform<PBegin, PCollection<T>> {
  private static final long serialVersionUID = 1L;

  private final CatalogConfig catalog;
  private final String table; // TableIdentifier is not serializable
  private final SerializableFunction<Record, T> fromRecord;
  private final Coder<T> coder;

  ReadIcebergTable(
      CatalogConfig catalog,
      TableIdentifier table,
      SerializableFunction<Record, T> fromRecord,
      Coder<T> coder) {
    this.catalog = Objects.requireNonNull(catalog);
    this.table = table.toString();
    this.fromRecord = Objects.requireNonNull(fromRecord);
    this.coder = Objects.requireNonNull(coder);
  }

  /** The snapshot that will be read (planned at construction), for the job summary. */
  record Plan(long snapshotId, List<String> files) implements Serializable {}

  Plan plan() {
    Table t = catalog.open().loadTable(TableIdentifier.parse(table));
    if (t.currentSnapshot() == null) {
      return new Plan(-1, List.of());
    }
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
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
    return new Plan(t.currentSnapshot().snapshotId(), files);
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
