package io.parity.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/** What is in the lakehouse: tables, their snapshots (with the Parity run ids) and tags. */
public final class LakehouseInfo {
  private LakehouseInfo() {}

  /**
   * A table at its current snapshot.
   *
   * @param snapshotId the current snapshot, -1 if the table has none yet
   * @param committedAt when the current snapshot was committed, null if none
   */
  public record TableInfo(
      String name, long snapshotId, long records, long dataFiles, Instant committedAt) {}

  /**
   * One snapshot of a table.
   *
   * @param parentId the previous snapshot, null for the first
   * @param operation Iceberg's operation: append, overwrite, delete, replace
   */
  public record SnapshotInfo(
      long snapshotId,
      Long parentId,
      Instant committedAt,
      String operation,
      Map<String, String> summary) {
    public SnapshotInfo {
      summary = Map.copyOf(summary);
    }

    /** The Parity run that committed it ({@code parity.run-id}), null if not Parity's. */
    public String runId() {
      return summary.get(WriteToIceberg.RUN_ID);
    }

    /** The idempotency key of its input ({@code parity.source-id}), null if none. */
    public String sourceId() {
      return summary.get(WriteToIceberg.SOURCE_ID);
    }
  }

  /** Every table of the catalog, in every namespace, sorted by name. */
  public static List<TableInfo> tables(Catalog catalog) {
    List<TableInfo> infos = new ArrayList<>();
    for (TableIdentifier id : tableIds(catalog)) {
      Table table = catalog.loadTable(id);
      Snapshot s = table.currentSnapshot();
      if (s == null) {
        infos.add(new TableInfo(id.toString(), -1, 0, 0, null));
      } else {
        infos.add(
            new TableInfo(
                id.toString(),
                s.snapshotId(),
                summaryLong(s, SnapshotSummary.TOTAL_RECORDS_PROP),
                summaryLong(s, SnapshotSummary.TOTAL_DATA_FILES_PROP),
                Instant.ofEpochMilli(s.timestampMillis())));
      }
    }
    return infos;
  }

  private static long summaryLong(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** The identifiers of every table in every namespace (nested ones included), sorted. */
  public static List<TableIdentifier> tableIds(Catalog catalog) {
    Set<Namespace> namespaces = new LinkedHashSet<>();
    if (catalog instanceof SupportsNamespaces supports) {
      collectNamespaces(supports, Namespace.empty(), namespaces);
    } else {
      LakehouseTables.ALL.forEach(id -> namespaces.add(id.namespace()));
    }
    List<TableIdentifier> ids = new ArrayList<>();
    for (Namespace ns : namespaces) {
      ids.addAll(catalog.listTables(ns));
    }
    ids.sort(Comparator.comparing(TableIdentifier::toString));
    return ids;
  }

  private static void collectNamespaces(
      SupportsNamespaces catalog, Namespace parent, Set<Namespace> into) {
    for (Namespace ns : catalog.listNamespaces(parent)) {
      if (into.add(ns)) {
        collectNamespaces(catalog, ns, into);
      }
    }
  }

  /** The table's snapshots, oldest first. */
  public static List<SnapshotInfo> snapshots(Table table) {
    List<SnapshotInfo> infos = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      infos.add(
          new SnapshotInfo(
              s.snapshotId(),
              s.parentId(),
              Instant.ofEpochMilli(s.timestampMillis()),
              s.operation(),
              s.summary()));
    }
    infos.sort(Comparator.comparing(SnapshotInfo::committedAt));
    return infos;
  }

  /** The table's tags: name to snapshot id, sorted by name. */
  public static Map<String, Long> tags(Table table) {
    return refs(table, true);
  }

  /** The table's branches (including {@code main} once committed): name to snapshot id. */
  public static Map<String, Long> branches(Table table) {
    return refs(table, false);
  }

  private static Map<String, Long> refs(Table table, boolean tags) {
    Map<String, Long> refs = new TreeMap<>();
    for (Map.Entry<String, SnapshotRef> e : table.refs().entrySet()) {
      if (e.getValue().isTag() == tags) {
        refs.put(e.getKey(), e.getValue().snapshotId());
      }
    }
    return refs;
  }

  /**
   * Data files under the table's data location that no retained snapshot references (left by runs
   * that failed before their commit) and that are older than {@code olderThan}. Only lists them: a
   * younger file may belong to a run still writing, so delete with a safe margin.
   *
   * @throws UnsupportedOperationException if the table's FileIO cannot list files
   */
  public static List<String> orphanFiles(Table table, Instant olderThan) {
    if (!(table.io() instanceof SupportsPrefixOperations io)) {
      throw new UnsupportedOperationException(
          "listing orphan files needs a FileIO that can list ("
              + table.io().getClass().getName()
              + " cannot)");
    }
    Set<String> referenced = new HashSet<>();
    Set<String> manifests = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      for (ManifestFile manifest : s.dataManifests(table.io())) {
        if (!manifests.add(manifest.path())) {
          continue;
        }
        try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io())) {
          reader.forEach(f -> referenced.add(LakehouseSql.localPath(f.location())));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
        }
      }
    }
    String dataLocation =
        table
            .properties()
            .getOrDefault(TableProperties.WRITE_DATA_LOCATION, table.location() + "/data");
    List<String> orphans = new ArrayList<>();
    for (FileInfo file : io.listPrefix(dataLocation)) {
      if (!referenced.contains(LakehouseSql.localPath(file.location()))
          && file.createdAtMillis() < olderThan.toEpochMilli()) {
        orphans.add(file.location());
      }
    }
    orphans.sort(Comparator.naturalOrder());
    return orphans;
  }
}
