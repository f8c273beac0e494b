package io.parity.lakehouse.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parity.json.InstantText;
import io.parity.lakehouse.LakehouseTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Versioned, point-in-time-correct training sets: {@link #create} builds one from silver features
 * and bronze labels into {@code training.<name>} (one overwrite snapshot per version, tagged {@code
 * <name>-v<N>}, with a JSON manifest), {@link #list}, {@link #show} and {@link #pull} read them
 * back; a pull always reads the tagged snapshot and gives byte-identical files.
 */
public final class TrainingSets {
  /** The namespace of the training-set tables. */
  public static final Namespace NAMESPACE = Namespace.of("training");

  /** Table property prefix of the manifests: {@code parity.manifest.v<N>}. */
  public static final String MANIFEST_PROPERTY = "parity.manifest.v";

  /** The manifest format written by this code. */
  public static final int MANIFEST_VERSION = 1;

  /** The columns of a training table before the feature columns. */
  public static final List<String> BASE_COLUMNS =
      List.of("event_id", "event_time", "split", "label");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern TAG = Pattern.compile("([a-z][a-z0-9_]*)-v([0-9]+)");
  private static final String FINGERPRINT = "spec_fingerprint";

  static final ObjectMapper JSON = mapper();

  private TrainingSets() {}

  /** What {@link #pull} wrote. */
  public record Pulled(Path rowsFile, Path manifestFile, long rows) {}

  private static ObjectMapper mapper() {
    return new ObjectMapper().registerModule(InstantText.module());
  }

  /** The table of a training set. */
  public static TableIdentifier tableId(String name) {
    checkName(name);
    return TableIdentifier.of(NAMESPACE, name);
  }

  /** The tag of a version, {@code <name>-v<N>}. */
  public static String tag(String name, int version) {
    return name + "-v" + version;
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "training-set name '"
              + name
              + "' must be a lower-case letter followed by lower-case letters, digits or _");
    }
  }

  /**
   * Parses a time: an ISO-8601 instant or date-time with offset ({@code 2026-11-25T10:00:00Z}), a
   * date-time without offset (UTC) or a date ({@code 2026-11-25}, midnight UTC).
   */
  public static Instant parseTime(String text) {
    String s = text == null ? "" : text.trim().replace(' ', 'T').toUpperCase(Locale.ROOT);
    try {
      if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (s.endsWith("Z") || s.matches(".*[+-]\\d{2}:?\\d{2}$")) {
        return OffsetDateTime.parse(s).toInstant();
      }
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time: use ISO-8601, e.g. 2026-11-25T10:00:00Z or 2026-11-25 (UTC)",
          e);
    }
  }

  // ---------------------------------------------------------------- create

  /**
   * Builds a new version of training set {@code name}: the silver rows of {@code specFingerprint}
   * with event time in {@code [from, to)}, each labelled with the latest label of its event whose
   * label time is at or before {@code asOf} (equal label times: fraud wins); events without such a
   * label follow {@code policy}; with splits, each row gets the name of the split holding its event
   * time and rows outside every split are dropped (and counted). Writes the rows as one overwrite
   * snapshot of {@code training.<name>}, tags it {@code <name>-v<N>} and stores the manifest, all
   * in one table commit.
   *
   * @param specFingerprint null: the only fingerprint in silver, or the most recently written one
   *     (failing if two were written by the same commit)
   * @throws IllegalArgumentException for a bad name, range or splits
   * @throws IllegalStateException when silver is missing, the fingerprint is unknown or ambiguous,
   *     or the set would be empty
   */
  public static TrainingSetVersion create(
      Catalog catalog,
      String name,
      Instant from,
      Instant to,
      Instant asOf,
      String specFingerprint,
      UnlabeledPolicy policy,
      List<Split> splits) {
    checkName(name);
    if (from == null || to == null || asOf == null || policy == null) {
      throw new IllegalArgumentException("from, to, asOf and the unlabeled policy are required");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from " + from + " is not before to " + to);
    }
    List<Split> splitList = splits == null ? List.of() : List.copyOf(splits);
    Split.validate(splitList, from, to);

    Table silver;
    try {
      silver = catalog.loadTable(LakehouseTables.SILVER_FEATURES);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException(
          "there is no silver.features table yet: run parity batch first", e);
    }
    Snapshot silverSnapshot = silver.currentSnapshot();
    if (silverSnapshot == null) {
      throw new IllegalStateException("silver.features has no rows yet: run parity batch first");
    }
    Map<String, Long> sources = new LinkedHashMap<>();
    sources.put(
        LakehouseTables.BRONZE_EVENTS.toString(),
        currentSnapshotId(catalog, LakehouseTables.BRONZE_EVENTS));
    Long labelsSnapshot = currentSnapshotId(catalog, LakehouseTables.BRONZE_LABELS);
    sources.put(LakehouseTables.BRONZE_LABELS.toString(), labelsSnapshot);
    sources.put(LakehouseTables.SILVER_FEATURES.toString(), silverSnapshot.snapshotId());

    String fingerprint =
        specFingerprint != null && !specFingerprint.isBlank()
            ? specFingerprint.trim()
            : resolveFingerprint(silver, silverSnapshot.snapshotId());

    // 1. The fingerprint's silver rows; its feature columns are those with a value in some row.
    Schema silverSchema = silver.schemas().get(silverSnapshot.schemaId());
    if (silverSchema == null) {
      silverSchema = silver.schema();
    }
    List<String> allFeatures = LakehouseTables.featureColumns(silverSchema);
    boolean[] used = new boolean[allFeatures.size()];
    List<Row> rows = new ArrayList<>();
    boolean anyRowOfFingerprint = false;
    Set<String> ids = new HashSet<>();
    try (CloseableIterable<Record> it =
        IcebergGenerics.read(silver)
            .useSnapshot(silverSnapshot.snapshotId())
            .where(Expressions.equal(FINGERPRINT, fingerprint))
            .build()) {
      for (Record r : it) {
        if (!fingerprint.equals(r.getField(FINGERPRINT))) {
          continue;
        }
        anyRowOfFingerprint = true;
        Double[] values = new Double[allFeatures.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (Double) r.getField(allFeatures.get(i));
          used[i] |= values[i] != null;
        }
        Instant t = ((OffsetDateTime) r.getField("event_time")).toInstant();
        if (t.isBefore(from) || !t.isBefore(to)) {
          continue;
        }
        String eventId = (String) r.getField("event_id");
        if (!ids.add(eventId)) {
          throw new IllegalStateException(
              "silver.features holds event " + eventId + " twice for fingerprint " + fingerprint);
        }
        rows.add(new Row(eventId, t, values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read silver.features", e);
    }
    if (!anyRowOfFingerprint) {
      throw new IllegalStateException(
          "silver.features has no rows of spec fingerprint "
              + fingerprint
              + "; fingerprints present: "
              + fingerprints(silver, silverSnapshot.snapshotId()).keySet());
    }
    List<String> features = new ArrayList<>();
    List<Integer> featureIndex = new ArrayList<>();
    for (int i = 0; i < allFeatures.size(); i++) {
      if (used[i]) {
        features.add(allFeatures.get(i));
        featureIndex.add(i);
      }
    }

    // 2. Labels known at asOf.
    Map<String, Boolean> labels = labelsAsOf(catalog, labelsSnapshot, asOf, ids);

    // 3. Label, policy, splits.
    rows.sort(Row.ORDER);
    List<Labelled> kept = new ArrayList<>();
    long fraud = 0;
    long legit = 0;
    long unlabeledNegative = 0;
    long excluded = 0;
    long outside = 0;
    Map<String, Long> perSplit = new LinkedHashMap<>();
    splitList.forEach(s -> perSplit.put(s.name(), 0L));
    for (Row row : rows) {
      Boolean label = labels.get(row.eventId);
      if (label == null && policy == UnlabeledPolicy.EXCLUDE) {
        excluded++;
        continue;
      }
      String split = null;
      if (!splitList.isEmpty()) {
        for (Split s : splitList) {
          if (s.contains(row.eventTime)) {
            split = s.name();
            break;
          }
        }
        if (split == null) {
          outside++;
          continue;
        }
        perSplit.merge(split, 1L, Long::sum);
      }
      if (label == null) {
        unlabeledNegative++;
      } else if (label) {
        fraud++;
      } else {
        legit++;
      }
      Double[] values = new Double[features.size()];
      for (int j = 0; j < values.length; j++) {
        values[j] = row.values[featureIndex.get(j)];
      }
      kept.add(new Labelled(row.eventId, row.eventTime, split, label != null && label, values));
    }
    if (kept.isEmpty()) {
      throw new IllegalStateException(
          "the training set would be empty: "
              + rows.size()
              + " silver rows of fingerprint "
              + fingerprint
              + " in ["
              + from
              + ", "
              + to
              + "), "
              + excluded
              + " excluded as unlabeled, "
              + outside
              + " outside every split");
    }

    // 4. Frozen statistics over train (if split) or all rows.
    boolean onTrain = perSplit.containsKey("train");
    Map<String, FeatureStats> stats = new LinkedHashMap<>();
    long statsRows = 0;
    for (Labelled l : kept) {
      if (!onTrain || "train".equals(l.split)) {
        statsRows++;
      }
    }
    for (int j = 0; j < features.size(); j++) {
      List<Double> column = new ArrayList<>();
      for (Labelled l : kept) {
        if (!onTrain || "train".equals(l.split)) {
          column.add(l.values[j]);
        }
      }
      stats.put(features.get(j), FeatureStats.of(column));
    }

    // 5. Write: one overwrite snapshot + tag + manifest in one table commit.
    Table table = ensureTable(catalog, name, features);
    int version = 1 + versions(table).size();
    String tag = tag(name, version);
    Schema schema = table.schema();
    DataFile file = writeRows(table, schema, features, kept);
    Transaction txn = table.newTransaction();
    try {
      txn.newOverwrite()
          .overwriteByRowFilter(Expressions.alwaysTrue())
          .addFile(file)
          .set("parity.training-set", tag)
          .commit();
      Snapshot snapshot = txn.table().currentSnapshot();
      TrainingSetVersion manifest =
          new TrainingSetVersion(
              MANIFEST_VERSION,
              name,
              version,
              tag,
              tableId(name).toString(),
              snapshot.snapshotId(),
              Instant.ofEpochMilli(snapshot.timestampMillis()),
              fingerprint,
              from,
              to,
              asOf,
              policy,
              splitList,
              sources,
              kept.size(),
              perSplit,
              outside,
              new TrainingSetVersion.LabelCounts(fraud, legit, unlabeledNegative, excluded),
              features,
              onTrain ? "train" : "all",
              statsRows,
              stats);
      txn.manageSnapshots().createTag(tag, snapshot.snapshotId()).commit();
      txn.updateProperties().set(MANIFEST_PROPERTY + version, toJson(manifest)).commit();
      txn.commitTransaction();
      return manifest;
    } catch (RuntimeException e) {
      try {
        table.io().deleteFile(file.location());
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private record Row(String eventId, Instant eventTime, Double[] values) {
    static final Comparator<Row> ORDER =
        Comparator.comparing(Row::eventTime).thenComparing(Row::eventId);
  }

  private record Labelled(
      String eventId, Instant eventTime, String split, boolean label, Double[] values) {}

  private static Long currentSnapshotId(Catalog catalog, TableIdentifier id) {
    try {
      Snapshot s = catalog.loadTable(id).currentSnapshot();
      return s == null ? null : s.snapshotId();
    } catch (NoSuchTableException e) {
      return null;
    }
  }

  /** Fingerprint to the highest data sequence number of its files (from partition metadata). */
  private static Map<String, Long> fingerprints(Table silver, long snapshotId) {
    Map<String, Long> latest = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        silver.newScan().useSnapshot(snapshotId).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile f = task.file();
        PartitionSpec spec = silver.specs().get(f.specId());
        int pos = -1;
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
          if (fields.get(i).name().equals(FINGERPRINT) && fields.get(i).transform().isIdentity()) {
            pos = i;
          }
        }
        if (pos < 0) {
          throw new IllegalStateException(
              "silver.features is not partitioned by spec_fingerprint: give --spec-fingerprint");
        }
        Object value = f.partition().get(pos, Object.class);
        long seq = f.dataSequenceNumber() == null ? -1 : f.dataSequenceNumber();
        latest.merge(String.valueOf(value), seq, Math::max);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot plan silver.features", e);
    }
    return latest;
  }

  private static String resolveFingerprint(Table silver, long snapshotId) {
    Map<String, Long> latest = fingerprints(silver, snapshotId);
    if (latest.isEmpty()) {
      throw new IllegalStateException("silver.features has no rows: run parity batch first");
    }
    if (latest.size() == 1) {
      return latest.keySet().iterator().next();
    }
    long max = latest.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    List<String> newest =
        latest.entrySet().stream().filter(e -> e.getValue() == max).map(Map.Entry::getKey).toList();
    if (newest.size() > 1) {
      throw new IllegalStateException(
          "silver.features holds several spec fingerprints written together "
              + newest
              + ": choose one with --spec-fingerprint (all: "
              + latest.keySet()
              + ")");
    }
    return newest.get(0);
  }

  /** Event id to its label known at asOf: latest label time <= asOf, ties: fraud wins. */
  private static Map<String, Boolean> labelsAsOf(
      Catalog catalog, Long labelsSnapshot, Instant asOf, Set<String> eventIds) {
    Map<String, Boolean> labels = new HashMap<>();
    if (labelsSnapshot == null) {
      return labels;
    }
    Table table = catalog.loadTable(LakehouseTables.BRONZE_LABELS);
    Map<String, Instant> times = new HashMap<>();
    try (CloseableIterable<Record> it =
        IcebergGenerics.read(table)
            .useSnapshot(labelsSnapshot)
            .select("event_id", "fraud", "label_time")
            .build()) {
      for (Record r : it) {
        String id = (String) r.getField("event_id");
        Boolean fraud = (Boolean) r.getField("fraud");
        OffsetDateTime at = (OffsetDateTime) r.getField("label_time");
        if (fraud == null || at == null || !eventIds.contains(id)) {
          continue;
        }
        Instant t = at.toInstant();
        if (t.isAfter(asOf)) {
          continue; // not known at asOf: never used
        }
        Instant known = times.get(id);
        if (known == null || t.isAfter(known)) {
          times.put(id, t);
          labels.put(id, fraud);
        } else if (t.equals(known) && fraud) {
          labels.put(id, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bronze.labels", e);
    }
    return labels;
  }

  private static Table ensureTable(Catalog catalog, String name, List<String> features) {
    TableIdentifier id = tableId(name);
    Set<String> base = new HashSet<>(BASE_COLUMNS);
    for (String f : features) {
      if (base.contains(f.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "feature column '" + f + "' collides with the training-set column " + f);
      }
    }
    Table table;
    try {
      table = catalog.loadTable(id);
    } catch (NoSuchTableException e) {
      List<NestedField> columns = new ArrayList<>();
      columns.add(NestedField.required(1, "event_id", Types.StringType.get()));
      columns.add(NestedField.required(2, "event_time", Types.TimestampType.withZone()));
      columns.add(
          NestedField.optional(3, "split", Types.StringType.get(), "the split, null without"));
      columns.add(
          NestedField.required(4, "label", Types.BooleanType.get(), "fraud known at as-of"));
      int next = 5;
      for (String f : features) {
        columns.add(NestedField.optional(next++, f, Types.DoubleType.get()));
      }
      if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(NAMESPACE)) {
        try {
          ns.createNamespace(NAMESPACE);
        } catch (AlreadyExistsException raced) {
          // Created concurrently by another writer: exactly what we wanted.
          ns.loadNamespaceMetadata(NAMESPACE);
        }
      }
      try {
        table =
            catalog
                .buildTable(id, new Schema(columns))
                .withPartitionSpec(PartitionSpec.unpartitioned())
                .withProperty(TableProperties.FORMAT_VERSION, "2")
                .withProperty(TableProperties.PARQUET_COMPRESSION, "zstd")
                .create();
      } catch (AlreadyExistsException raced) {
        table = catalog.loadTable(id);
      }
    }
    UpdateSchema update = null;
    for (String f : features) {
      NestedField existing = table.schema().caseInsensitiveFindField(f);
      if (existing == null) {
        update = update == null ? table.updateSchema() : update;
        update.addColumn(f, Types.DoubleType.get());
      } else if (!existing.name().equals(f) || !existing.type().equals(Types.DoubleType.get())) {
        throw new IllegalArgumentException(
            "feature column '"
                + f
                + "' clashes with column "
                + existing.name()
                + " ("
                + existing.type()
                + ") of "
                + id);
      }
    }
    if (update != null) {
      update.commit();
      table.refresh();
    }
    return table;
  }

  private static DataFile writeRows(
      Table table, Schema schema, List<String> features, List<Labelled> rows) {
    GenericAppenderFactory appenders =
        new GenericAppenderFactory(
            table, schema, PartitionSpec.unpartitioned(), table.properties(), null, null, null);
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    DataWriter<Record> writer =
        appenders.newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
    try (writer) {
      for (Labelled l : rows) {
        GenericRecord r = GenericRecord.create(schema);
        r.setField("event_id", l.eventId);
        r.setField("event_time", l.eventTime.atOffset(ZoneOffset.UTC));
        r.setField("split", l.split);
        r.setField("label", l.label);
        for (int j = 0; j < features.size(); j++) {
          r.setField(features.get(j), l.values[j]);
        }
        writer.write(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training set's data file", e);
    }
    return writer.toDataFile();
  }

  // ---------------------------------------------------------------- read

  /** Every version of every training set, by name then version. */
  public static List<TrainingSetVersion> list(Catalog catalog) {
    if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(NAMESPACE)) {
      return List.of();
    }
    List<TableIdentifier> ids = new ArrayList<>(catalog.listTables(NAMESPACE));
    ids.sort(Comparator.comparing(TableIdentifier::name));
    List<TrainingSetVersion> all = new ArrayList<>();
    for (TableIdentifier id : ids) {
      if (NAME.matcher(id.name()).matches()) {
        all.addAll(versions(catalog.loadTable(id)).values());
      }
    }
    return all;
  }

  /**
   * The manifests of a training set ({@code name}: every version, oldest first) or of one version
   * ({@code name-vN}).
   *
   * @throws IllegalArgumentException for an unknown set or version
   */
  public static List<TrainingSetVersion> show(Catalog catalog, String nameOrTag) {
    Matcher tag = nameOrTag == null ? null : TAG.matcher(nameOrTag.trim());
    if (tag != null && tag.matches()) {
      return List.of(version(catalog, nameOrTag.trim()));
    }
    Table table = loadSet(catalog, nameOrTag == null ? null : nameOrTag.trim());
    return List.copyOf(versions(table).values());
  }

  /** One version's manifest by tag {@code name-vN}. */
  public static TrainingSetVersion version(Catalog catalog, String tag) {
    Matcher m = tag == null ? null : TAG.matcher(tag.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + tag + "' is not a training-set version: use NAME-vN, e.g. fraud-v1");
    }
    Table table = loadSet(catalog, m.group(1));
    Map<Integer, TrainingSetVersion> versions = versions(table);
    TrainingSetVersion v = versions.get(Integer.parseInt(m.group(2)));
    if (v == null || !table.refs().containsKey(tag.trim())) {
      throw new IllegalArgumentException(
          "unknown training-set version "
              + tag.trim()
              + "; "
              + m.group(1)
              + " has "
              + versions.values().stream().map(TrainingSetVersion::tag).toList());
    }
    return v;
  }

  private static Table loadSet(Catalog catalog, String name) {
    checkName(name);
    try {
      return catalog.loadTable(tableId(name));
    } catch (NoSuchTableException e) {
      throw new IllegalArgumentException(
          "unknown training set '" + name + "'; known: " + names(catalog), e);
    }
  }

  private static List<String> names(Catalog catalog) {
    return list(catalog).stream().map(TrainingSetVersion::name).distinct().toList();
  }

  /** The versions of a set's table (tags {@code name-vN} with their manifest), by version. */
  private static Map<Integer, TrainingSetVersion> versions(Table table) {
    Map<Integer, TrainingSetVersion> versions = new TreeMap<>();
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      Matcher m = TAG.matcher(ref.getKey());
      if (!ref.getValue().isTag() || !m.matches()) {
        continue;
      }
      int v = Integer.parseInt(m.group(2));
      String json = table.properties().get(MANIFEST_PROPERTY + v);
      if (json == null) {
        throw new IllegalStateException(
            "tag " + ref.getKey() + " of " + table.name() + " has no manifest property");
      }
      versions.put(v, fromJson(json));
    }
    return versions;
  }

  /**
   * The rows of version {@code v} (a manifest from {@link #version} or {@link #show}), read from
   * its tagged snapshot, never the current one: columns {@link #BASE_COLUMNS} then {@code
   * v.features()}, {@code event_time} as an {@link Instant}, a null feature as null, sorted by
   * event time then event id. The same rows every time; {@link #pull} writes exactly these.
   *
   * @throws IllegalArgumentException when the set's table has no tag {@code v.tag()}
   */
  public static List<Object[]> rows(Catalog catalog, TrainingSetVersion v) {
    Table table = loadSet(catalog, v.name());
    SnapshotRef ref = table.refs().get(v.tag());
    if (ref == null || !ref.isTag()) {
      throw new IllegalArgumentException(
          "unknown training-set version "
              + v.tag()
              + "; "
              + v.name()
              + " has "
              + versions(table).values().stream().map(TrainingSetVersion::tag).toList());
    }
    List<String> columns = new ArrayList<>(BASE_COLUMNS);
    columns.addAll(v.features());
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterable<Record> it =
        IcebergGenerics.read(table).useSnapshot(ref.snapshotId()).select(columns).build()) {
      for (Record r : it) {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = r.getField(columns.get(i));
        }
        row[1] = ((OffsetDateTime) row[1]).toInstant();
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + table.name() + " at " + v.tag(), e);
    }
    rows.sort(
        Comparator.comparing((Object[] r) -> (Instant) r[1]).thenComparing(r -> (String) r[0]));
    return rows;
  }

  /**
   * Writes version {@code tag} ({@code name-vN}) to {@code outDir}: {@code rows.parquet} or {@code
   * rows.csv} (rows sorted by event time, then event id) and {@code manifest.json}. Reads the
   * tagged snapshot, never the current one, so the files are byte-identical every time.
   */
  public static Pulled pull(Catalog catalog, String tag, Path outDir, Format format) {
    TrainingSetVersion v = version(catalog, tag);
    List<Object[]> rows = rows(catalog, v);
    Table table = catalog.loadTable(tableId(v.name()));
    List<String> columns = new ArrayList<>(BASE_COLUMNS);
    columns.addAll(v.features());
    try {
      Files.createDirectories(outDir);
      Path rowsFile = outDir.resolve(format == Format.PARQUET ? "rows.parquet" : "rows.csv");
      if (format == Format.PARQUET) {
        RowFiles.writeParquet(rowsFile, v.features(), rows);
      } else {
        RowFiles.writeCsv(rowsFile, columns, rows);
      }
      Path manifestFile = outDir.resolve("manifest.json");
      Files.writeString(
          manifestFile,
          prettyJson(table.properties().get(MANIFEST_PROPERTY + v.version())),
          StandardCharsets.UTF_8);
      return new Pulled(rowsFile, manifestFile, rows.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + v.tag() + " to " + outDir, e);
    }
  }

  // ---------------------------------------------------------------- JSON

  /** The manifest as compact JSON (the form stored in the table property). */
  public static String toJson(TrainingSetVersion manifest) {
    try {
      return JSON.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the manifest of " + manifest.tag(), e);
    }
  }

  /** Parses a stored manifest. */
  public static TrainingSetVersion fromJson(String json) {
    try {
      return JSON.readValue(json, TrainingSetVersion.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot parse a training-set manifest: " + e.getMessage(), e);
    }
  }

  /** Pretty JSON of a stored manifest, keys in their stored order, {@code \n} line ends. */
  public static String prettyJson(String json) {
    try {
      JsonNode tree = JSON.readTree(json);
      DefaultPrettyPrinter printer =
          new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
      return JSON.writer(printer).writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot parse a training-set manifest: " + e.getMessage(), e);
    }
  }
}
