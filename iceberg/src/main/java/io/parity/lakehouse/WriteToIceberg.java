package io.parity.lakehouse;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types.NestedField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch Beam sink that writes a {@code PCollection} to an Iceberg table in one atomic commit,
 * correct on the Direct and Flink runners.
 *
 * <p>Each element is mapped to columns, assigned a (partition, shard) key and grouped, so every
 * (partition, shard) becomes exactly one Parquet data file however small the runner's bundles are.
 * The data files are gathered into one element and committed as a single snapshot carrying the
 * summary properties {@code parity.run-id}, {@code parity.source-id} and {@code parity.records}.
 * Until that commit, readers see the previous snapshot; a run that fails before it commits nothing
 * and leaves its data files behind as unreferenced orphans.
 *
 * <ul>
 *   <li>{@link Mode#APPEND} adds the rows. With a source id, a run whose source id already appears
 *       in a snapshot's summary commits nothing and reports {@code skipped}, so re-running the same
 *       input adds nothing. An empty input commits nothing (no empty snapshot).
 *   <li>{@link Mode#OVERWRITE_WHERE} atomically replaces the rows where {@code column == value} (or
 *       all rows): an empty input deletes them. Every written row must match the filter.
 * </ul>
 */
public final class WriteToIceberg<T> extends PTransform<PCollection<T>, PCollection<CommitResult>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WriteToIceberg.class);

  /** Snapshot summary key: the Parity run that committed the snapshot. */
  public static final String RUN_ID = "parity.run-id";

  /** Snapshot summary key: the idempotency key of the input the snapshot came from. */
  public static final String SOURCE_ID = "parity.source-id";

  /** Snapshot summary key: how many records the run wrote. */
  public static final String RECORDS = "parity.records";

  /** How a run changes the table. */
  public enum Mode {
    /** Add rows; skipped when a snapshot with the same source id exists. */
    APPEND,
    /** Atomically replace the rows matching the overwrite filter by the input's rows. */
    OVERWRITE_WHERE
  }

  /** The sink's settings; copied on every {@code withX}, so a WriteToIceberg never changes. */
  private static final class Settings<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    CatalogConfig catalog;
    String table;
    SerializableFunction<T, Map<String, Object>> toColumns;
    String runId = UUID.randomUUID().toString();
    String sourceId;
    Mode mode = Mode.APPEND;
    String filterColumn;
    String filterValue;
    boolean overwriteAll;
    int shards = 2;
    SerializableRunnable beforeCommit;

    Settings<T> copy() {
      Settings<T> c = new Settings<>();
      c.catalog = catalog;
      c.table = table;
      c.toColumns = toColumns;
      c.runId = runId;
      c.sourceId = sourceId;
      c.mode = mode;
      c.filterColumn = filterColumn;
      c.filterValue = filterValue;
      c.overwriteAll = overwriteAll;
      c.shards = shards;
      c.beforeCommit = beforeCommit;
      return c;
    }
  }

  private final Settings<T> settings;

  private WriteToIceberg(Settings<T> settings) {
    this.settings = settings;
  }

  private WriteToIceberg<T> with(Consumer<Settings<T>> change) {
    Settings<T> copy = settings.copy();
    change.accept(copy);
    return new WriteToIceberg<>(copy);
  }

  /**
   * Writes to {@code table}, mapping each element to its columns by name (values as accepted by
   * {@link LakehouseTables#toRecord}). Defaults: {@link Mode#APPEND}, 2 shards, a random run id, no
   * source id.
   */
  public static <T> WriteToIceberg<T> to(
      CatalogConfig cfg,
      TableIdentifier table,
      SerializableFunction<T, Map<String, Object>> toColumns) {
    Settings<T> settings = new Settings<>();
    settings.catalog = Objects.requireNonNull(cfg, "cfg");
    settings.table = Objects.requireNonNull(table, "table").toString();
    settings.toColumns = Objects.requireNonNull(toColumns, "toColumns");
    return new WriteToIceberg<>(settings);
  }

  /** Records this run id in the snapshot summary ({@code parity.run-id}). */
  public WriteToIceberg<T> withRunId(String runId) {
    requireText(runId, "runId");
    return with(s -> s.runId = runId);
  }

  /**
   * The idempotency key of the input (e.g. a file's content hash or a Kafka offset range), recorded
   * as {@code parity.source-id}; in {@link Mode#APPEND} a source id that is already committed makes
   * the run a no-op.
   */
  public WriteToIceberg<T> withSourceId(String sourceId) {
    requireText(sourceId, "sourceId");
    return with(s -> s.sourceId = sourceId);
  }

  /** How the run changes the table; {@link Mode#OVERWRITE_WHERE} needs an overwrite filter. */
  public WriteToIceberg<T> withMode(Mode mode) {
    Objects.requireNonNull(mode, "mode");
    return with(s -> s.mode = mode);
  }

  /**
   * With {@link Mode#OVERWRITE_WHERE}: replace the rows where {@code column == value} (the value is
   * parsed as the column's type, e.g. {@code 2026-11-25} for a date). Iceberg replaces whole data
   * files, so the column should be an identity-partition column (e.g. silver's {@code
   * spec_fingerprint}, gold's {@code day}) or otherwise constant per data file.
   */
  public WriteToIceberg<T> withOverwriteFilter(String column, String value) {
    requireText(column, "column");
    Objects.requireNonNull(value, "value");
    return with(
        s -> {
          s.filterColumn = column;
          s.filterValue = value;
          s.overwriteAll = false;
        });
  }

  /** With {@link Mode#OVERWRITE_WHERE}: replace every row (for views recomputed in full). */
  public WriteToIceberg<T> withOverwriteAll() {
    return with(
        s -> {
          s.filterColumn = null;
          s.filterValue = null;
          s.overwriteAll = true;
        });
  }

  /** Data files per partition (default 2): each (partition, shard) becomes one file. */
  public WriteToIceberg<T> withShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    return with(s -> s.shards = shards);
  }

  /**
   * A hook run on the committing worker right before the snapshot is committed (not when nothing is
   * committed); an exception from it fails the run with the table unchanged.
   */
  public WriteToIceberg<T> withBeforeCommit(SerializableRunnable beforeCommit) {
    Objects.requireNonNull(beforeCommit, "beforeCommit");
    return with(s -> s.beforeCommit = beforeCommit);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  @Override
  public PCollection<CommitResult> expand(PCollection<T> input) {
    Settings<T> s = settings;
    if (input.isBounded() != PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException(
          "WriteToIceberg commits once per run, so its input must be bounded (a batch input); "
              + s.table
              + " got an unbounded one");
    }
    boolean hasFilter = s.filterColumn != null || s.overwriteAll;
    if (s.mode == Mode.OVERWRITE_WHERE && !hasFilter) {
      throw new IllegalArgumentException(
          "OVERWRITE_WHERE on "
              + s.table
              + " needs withOverwriteFilter(column, value) or withOverwriteAll()");
    }
    if (s.mode == Mode.APPEND && hasFilter) {
      throw new IllegalArgumentException(
          "an overwrite filter on " + s.table + " needs withMode(Mode.OVERWRITE_WHERE)");
    }
    TableIdentifier id = TableIdentifier.parse(s.table);
    Target target = resolve(id);

    Coder<T> elementCoder = input.getCoder();
    PCollection<KV<String, T>> keyed =
        input
            .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
            .apply(
                "AssignPartitionAndShard",
                ParDo.of(new AssignPartitionAndShardFn<>(target, s.toColumns, s.shards)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), elementCoder));
    PCollection<WrittenFile> files =
        keyed
            .apply("GroupByPartitionAndShard", GroupByKey.create())
            .apply(
                "WriteDataFiles", ParDo.of(new WriteDataFilesFn<>(s.catalog, target, s.toColumns)))
            .setCoder(SerializableCoder.of(WrittenFile.class));
    return files
        .apply("GatherDataFiles", Combine.globally(new GatherFiles()))
        .apply(
            "CommitSnapshot",
            ParDo.of(new CommitFn(s.catalog, target, s.mode, s.runId, s.sourceId, s.beforeCommit)))
        .setCoder(SerializableCoder.of(CommitResult.class));
  }

  /**
   * Resolves the table at pipeline construction, so every worker writes with the same schema and
   * spec, and a table replaced meanwhile is detected at commit.
   */
  private Target resolve(TableIdentifier id) {
    Settings<T> s = settings;
    Catalog cat = s.catalog.open();
    try {
      Table t =
          LakehouseTables.ALL.contains(id)
              ? LakehouseTables.ensure(cat, id)
              : loadExisting(cat, id);
      Schema schema = t.schema();
      Object filterRecordValue = null;
      if (s.filterColumn != null) {
        NestedField field = schema.asStruct().field(s.filterColumn);
        if (field == null) {
          throw new IllegalArgumentException(
              "overwrite filter column '"
                  + s.filterColumn
                  + "' is not a column of "
                  + id
                  + "; columns: "
                  + schema.columns().stream().map(NestedField::name).toList());
        }
        filterRecordValue = parseFilterValue(field, s.filterValue);
      }
      return new Target(
          id.toString(),
          t.uuid().toString(),
          SchemaParser.toJson(schema),
          PartitionSpecParser.toJson(t.spec()),
          s.filterColumn,
          filterRecordValue,
          s.overwriteAll);
    } finally {
      CatalogConfig.close(cat);
    }
  }

  private static Table loadExisting(Catalog cat, TableIdentifier id) {
    if (!cat.tableExists(id)) {
      throw new IllegalArgumentException(
          "table "
              + id
              + " does not exist; create it first (Parity's tables: "
              + LakehouseTables.ALL
              + ")");
    }
    return cat.loadTable(id);
  }

  /** Parses a filter value given as text into the value a record of that column holds. */
  static Object parseFilterValue(NestedField field, String text) {
    try {
      Object parsed =
          switch (field.type().typeId()) {
            case STRING -> text;
            case INTEGER -> Integer.parseInt(text.trim());
            case LONG -> Long.parseLong(text.trim());
            case DOUBLE -> Double.parseDouble(text.trim());
            case BOOLEAN -> {
              if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not true/false");
              }
              yield Boolean.parseBoolean(text);
            }
            case DATE -> LocalDate.parse(text.trim());
            case TIMESTAMP -> OffsetDateTime.parse(text.trim()).toInstant();
            default -> throw new IllegalArgumentException("unsupported type " + field.type());
          };
      return LakehouseTables.convert(field, parsed);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "overwrite filter value '"
              + text
              + "' is not a valid "
              + field.type()
              + " for column "
              + field.name()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The Iceberg expression selecting the rows a filter value replaces. */
  static Expression filterExpression(String column, Object recordValue) {
    if (recordValue instanceof LocalDate date) {
      return Expressions.equal(column, (int) date.toEpochDay());
    } else if (recordValue instanceof OffsetDateTime ts) {
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, ts.toInstant());
      return Expressions.equal(column, micros);
    }
    return Expressions.equal(column, recordValue);
  }

  /** What the workers need to know about the table, fixed at pipeline construction. */
  record Target(
      String table,
      String uuid,
      String schemaJson,
      String specJson,
      String filterColumn,
      Object filterValue,
      boolean overwriteAll)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    Schema schema() {
      return SchemaParser.fromJson(schemaJson);
    }

    PartitionSpec spec(Schema schema) {
      return PartitionSpecParser.fromJson(schema, specJson);
    }

    Expression rowFilter() {
      return overwriteAll ? Expressions.alwaysTrue() : filterExpression(filterColumn, filterValue);
    }

    void checkMatchesFilter(Record record) {
      if (filterColumn != null && !Objects.equals(record.getField(filterColumn), filterValue)) {
        throw new IllegalArgumentException(
            "a row with "
                + filterColumn
                + "="
                + record.getField(filterColumn)
                + " does not match the overwrite filter "
                + filterColumn
                + "="
                + filterValue
                + " of "
                + table
                + ": committing it would break the next overwrite of the same value");
      }
    }
  }

  /** One data file written by a worker (DataFile is Java-serializable; the interface is not). */
  record WrittenFile(DataFile file) implements Serializable {
    private static final long serialVersionUID = 1L;

    // DataFile has identity equality; a file is its unique location (Beam compares elements by
    // value to detect mutations).
    @Override
    public boolean equals(Object o) {
      return o instanceof WrittenFile other
          && file.location().equals(other.file.location())
          && file.recordCount() == other.file.recordCount()
          && file.fileSizeInBytes() == other.file.fileSizeInBytes();
    }

    @Override
    public int hashCode() {
      return file.location().hashCode();
    }
  }

  /** Keys each element by its partition path and a shard derived from its values. */
  static final class AssignPartitionAndShardFn<T> extends DoFn<T, KV<String, T>> {
    private static final long serialVersionUID = 1L;
    private final Target target;
    private final SerializableFunction<T, Map<String, Object>> toColumns;
    private final int shards;
    private transient Schema schema;
    private transient PartitionKey partitionKey;
    private transient InternalRecordWrapper wrapper;

    AssignPartitionAndShardFn(
        Target target, SerializableFunction<T, Map<String, Object>> toColumns, int shards) {
      this.target = target;
      this.toColumns = toColumns;
      this.shards = shards;
    }

    @Setup
    public void setup() {
      schema = target.schema();
      partitionKey = new PartitionKey(target.spec(schema), schema);
      wrapper = new InternalRecordWrapper(schema.asStruct());
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<String, T>> out) {
      Record record = LakehouseTables.toRecord(schema, toColumns.apply(element));
      target.checkMatchesFilter(record);
      partitionKey.partition(wrapper.wrap(record));
      int shard = Math.floorMod(valueHash(record), shards);
      out.output(KV.of(shard + "|" + partitionKey.toPath(), element));
    }

    /** A deterministic hash of the record's values, so reruns shard the same way. */
    private static int valueHash(Record record) {
      int h = 1;
      for (int i = 0; i < record.size(); i++) {
        h = 31 * h + Objects.hashCode(record.get(i));
      }
      // Murmur3 finalizer: spread similar records over the shards.
      h ^= h >>> 16;
      h *= 0x85ebca6b;
      h ^= h >>> 13;
      h *= 0xc2b2ae35;
      h ^= h >>> 16;
      return h;
    }
  }

  /** Writes each (partition, shard) group as one Parquet data file in the table's location. */
  static final class WriteDataFilesFn<T> extends DoFn<KV<String, Iterable<T>>, WrittenFile> {
    private static final long serialVersionUID = 1L;
    private final CatalogConfig catalogConfig;
    private final Target target;
    private final SerializableFunction<T, Map<String, Object>> toColumns;
    private final Counter records = Metrics.counter(WriteToIceberg.class, "records_written");
    private final Counter dataFiles = Metrics.counter(WriteToIceberg.class, "data_files_written");
    private transient Catalog catalog;
    private transient Table table;
    private transient Schema schema;
    private transient PartitionSpec spec;
    private transient PartitionKey partitionKey;
    private transient InternalRecordWrapper wrapper;
    private transient GenericAppenderFactory appenders;

    WriteDataFilesFn(
        CatalogConfig catalogConfig,
        Target target,
        SerializableFunction<T, Map<String, Object>> toColumns) {
      this.catalogConfig = catalogConfig;
      this.target = target;
      this.toColumns = toColumns;
    }

    @Setup
    public void setup() {
      catalog = catalogConfig.open();
      table = catalog.loadTable(TableIdentifier.parse(target.table()));
      schema = target.schema();
      spec = target.spec(schema);
      partitionKey = new PartitionKey(spec, schema);
      wrapper = new InternalRecordWrapper(schema.asStruct());
      appenders =
          new GenericAppenderFactory(table, schema, spec, table.properties(), null, null, null);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<T>> group, OutputReceiver<WrittenFile> out)
        throws IOException {
      Iterator<T> it = group.getValue().iterator();
      Record first = LakehouseTables.toRecord(schema, toColumns.apply(it.next()));
      partitionKey.partition(wrapper.wrap(first));
      PartitionKey partition = spec.isUnpartitioned() ? null : partitionKey.copy();
      // A random operation id in the file name keeps names unique across workers and retries.
      OutputFileFactory files =
          OutputFileFactory.builderFor(table, 0, 0)
              .format(FileFormat.PARQUET)
              .operationId(UUID.randomUUID().toString())
              .build();
      EncryptedOutputFile file = files.newOutputFile(spec, partition);
      DataWriter<Record> writer = appenders.newDataWriter(file, FileFormat.PARQUET, partition);
      long count = 0;
      try (writer) {
        writer.write(first);
        count++;
        while (it.hasNext()) {
          writer.write(LakehouseTables.toRecord(schema, toColumns.apply(it.next())));
          count++;
        }
      }
      records.inc(count);
      dataFiles.inc();
      out.output(new WrittenFile(writer.toDataFile()));
    }

    @Teardown
    public void teardown() {
      if (catalog != null) {
        CatalogConfig.close(catalog);
      }
    }
  }

  /** Gathers every data file of the run into one list (an empty list for an empty input). */
  static final class GatherFiles
      extends Combine.CombineFn<WrittenFile, List<WrittenFile>, List<WrittenFile>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<WrittenFile> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<WrittenFile> addInput(List<WrittenFile> acc, WrittenFile input) {
      acc.add(input);
      return acc;
    }

    @Override
    public List<WrittenFile> mergeAccumulators(Iterable<List<WrittenFile>> accs) {
      List<WrittenFile> merged = new ArrayList<>();
      accs.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<WrittenFile> extractOutput(List<WrittenFile> acc) {
      return acc;
    }

    @Override
    public Coder<List<WrittenFile>> getAccumulatorCoder(
        CoderRegistry registry, Coder<WrittenFile> inputCoder) {
      return ListCoder.of(inputCoder);
    }

    @Override
    public Coder<List<WrittenFile>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<WrittenFile> inputCoder) {
      return ListCoder.of(inputCoder);
    }
  }

  /** Makes the run's one commit (or skips it), on a single worker. */
  static final class CommitFn extends DoFn<List<WrittenFile>, CommitResult> {
    private static final long serialVersionUID = 1L;
    private final CatalogConfig catalogConfig;
    private final Target target;
    private final Mode mode;
    private final String runId;
    private final String sourceId;
    private final SerializableRunnable beforeCommit;

    CommitFn(
        CatalogConfig catalogConfig,
        Target target,
        Mode mode,
        String runId,
        String sourceId,
        SerializableRunnable beforeCommit) {
      this.catalogConfig = catalogConfig;
      this.target = target;
      this.mode = mode;
      this.runId = runId;
      this.sourceId = sourceId;
      this.beforeCommit = beforeCommit;
    }

    @ProcessElement
    public void process(@Element List<WrittenFile> files, OutputReceiver<CommitResult> out) {
      Catalog catalog = catalogConfig.open();
      try {
        out.output(commit(catalog.loadTable(TableIdentifier.parse(target.table())), files));
      } finally {
        CatalogConfig.close(catalog);
      }
    }

    private CommitResult commit(Table table, List<WrittenFile> files) {
      if (!table.uuid().toString().equals(target.uuid())) {
        throw new IllegalStateException(
            "table "
                + target.table()
                + " was dropped and re-created while the run was writing; "
                + "nothing was committed");
      }
      long records = files.stream().mapToLong(f -> f.file().recordCount()).sum();
      if (mode == Mode.APPEND && sourceId != null) {
        Snapshot prior = snapshotWithSourceId(table, sourceId);
        if (prior != null) {
          discardUnreferenced(table, files, prior);
          LOG.info(
              "{}: source {} is already committed in snapshot {}; skipped",
              target.table(),
              sourceId,
              prior.snapshotId());
          return new CommitResult(target.table(), -1, 0, 0, true);
        }
      }
      if (mode == Mode.APPEND && files.isEmpty()) {
        LOG.info("{}: empty input, nothing to append", target.table());
        return new CommitResult(target.table(), -1, 0, 0, false);
      }
      SnapshotUpdate<?> update;
      if (mode == Mode.APPEND) {
        AppendFiles append = table.newAppend();
        files.forEach(f -> append.appendFile(f.file()));
        update = append;
      } else {
        OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(target.rowFilter());
        files.forEach(f -> overwrite.addFile(f.file()));
        update = overwrite;
      }
      update.set(RUN_ID, runId);
      update.set(RECORDS, Long.toString(records));
      if (sourceId != null) {
        update.set(SOURCE_ID, sourceId);
      }
      if (beforeCommit != null) {
        beforeCommit.run();
      }
      update.commit();
      Snapshot committed = committedSnapshot(table);
      LOG.info(
          "{}: committed snapshot {} ({} data files, {} records, run {})",
          target.table(),
          committed.snapshotId(),
          files.size(),
          records,
          runId);
      return new CommitResult(target.table(), committed.snapshotId(), files.size(), records, false);
    }

    private Snapshot committedSnapshot(Table table) {
      // The table object already reflects our commit; walk back in case another writer was faster.
      for (Snapshot s = table.currentSnapshot(); s != null; ) {
        if (runId.equals(s.summary().get(RUN_ID))) {
          return s;
        }
        s = s.parentId() == null ? null : table.snapshot(s.parentId());
      }
      throw new IllegalStateException(
          "committed to " + target.table() + " but cannot find the snapshot of run " + runId);
    }

    private static Snapshot snapshotWithSourceId(Table table, String sourceId) {
      for (Snapshot s : table.snapshots()) {
        if (sourceId.equals(s.summary().get(SOURCE_ID))) {
          return s;
        }
      }
      return null;
    }

    /**
     * Deletes this run's files unless the prior snapshot references them (a retried commit of this
     * very run), so a skipped run leaves no orphans.
     */
    private static void discardUnreferenced(Table table, List<WrittenFile> files, Snapshot prior) {
      Set<String> referenced = new HashSet<>();
      prior.addedDataFiles(table.io()).forEach(f -> referenced.add(f.location()));
      for (WrittenFile f : files) {
        if (!referenced.contains(f.file().location())) {
          table.io().deleteFile(f.file().location());
        }
      }
    }
  }
}
