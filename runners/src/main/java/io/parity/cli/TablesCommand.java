package io.parity.cli;

import io.parity.lakehouse.LakehouseInfo;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity tables}: the lakehouse's tables, their snapshots and tags. */
@Command(
    name = "tables",
    mixinStandardHelpOptions = true,
    description =
        "Lists the lakehouse tables with their current snapshot, rows and files;"
            + " --snapshots adds each table's history and tags.")
final class TablesCommand implements Callable<Integer> {

  @Option(names = "--snapshots", description = "also list every snapshot and tag")
  boolean snapshots;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Override
  public Integer call() {
    Catalog catalog = lakehouse.config().open();
    System.out.printf(
        "%-22s %-20s %12s %6s  %s%n", "table", "snapshot", "rows", "files", "committed");
    for (LakehouseInfo.TableInfo t : LakehouseInfo.tables(catalog)) {
      System.out.printf(
          "%-22s %-20s %,12d %6d  %s%n",
          t.name(),
          t.snapshotId() < 0 ? "-" : Long.toString(t.snapshotId()),
          t.records(),
          t.dataFiles(),
          t.committedAt() == null ? "-" : t.committedAt());
    }
    if (snapshots) {
      for (TableIdentifier id : LakehouseInfo.tableIds(catalog)) {
        Table table = catalog.loadTable(id);
        System.out.println();
        System.out.println(id + ":");
        for (LakehouseInfo.SnapshotInfo s : LakehouseInfo.snapshots(table)) {
          System.out.printf(
              "  %-20s %-9s %s  run %s  %s records added%n",
              s.snapshotId(),
              s.operation(),
              s.committedAt(),
              s.runId(),
              s.summary().getOrDefault("added-records", "0"));
        }
        for (Map.Entry<String, Long> tag : LakehouseInfo.tags(table).entrySet()) {
          System.out.printf("  tag %-30s -> %d%n", tag.getKey(), tag.getValue());
        }
      }
    }
    return 0;
  }
}
