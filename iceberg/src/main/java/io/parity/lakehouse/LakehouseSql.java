package io.parity.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Read-only SQL over the lakehouse for analysts, with time travel, on an in-process DuckDB.
 *
 * <p>DuckDB's Iceberg extension cannot be installed offline, so each table's snapshot is planned
 * with iceberg-core and exposed as a view ({@code bronze.events}, ...) over its Parquet data files.
 * This reads append/overwrite tables exactly (Parity writes no delete files; a table with delete
 * files is refused). After the views exist, DuckDB may read only those files and its configuration
 * is locked, and every statement is checked to be a single read-only one.
 */
public final class LakehouseSql implements AutoCloseable {
  /** Schemas that always exist, so a query on a table not written yet says which table. */
  private static final List<String> STANDARD_SCHEMAS = List.of("bronze", "silver", "gold");

  private final Connection connection;
  private final AsOf asOf;
  private final List<View> views;

  /**
   * One queryable table.
   *
   * @param name {@code namespace.table}
   * @param snapshotId the snapshot read, -1 if the table had none (it reads as empty)
   * @param dataFiles how many Parquet files the view reads
   */
  public record View(String name, long snapshotId, int dataFiles) {}

  private LakehouseSql(Connection connection, AsOf asOf, List<View> views) {
    this.connection = connection;
    this.asOf = asOf;
    this.views = List.copyOf(views);
  }

  /**
   * Plans every table of the catalog at {@code asOf} and opens DuckDB over it. With a snapshot id
   * or ref, only the tables that have it are queryable.
   *
   * @throws IllegalArgumentException if a snapshot id or ref exists in no table
   */
  public static LakehouseSql open(CatalogConfig cfg, AsOf asOf) {
    List<PlannedTable> planned = new ArrayList<>();
    List<String> notApplicable = new ArrayList<>();
    Catalog catalog = cfg.open();
    try {
      for (TableIdentifier id : LakehouseInfo.tableIds(catalog)) {
        Table table = catalog.loadTable(id);
        if (asOf.appliesTo(table)) {
          planned.add(plan(id, table, asOf.snapshotOf(table)));
        } else {
          notApplicable.add(id.toString());
        }
      }
    } finally {
      CatalogConfig.close(catalog);
    }
    if (planned.isEmpty() && !(asOf instanceof AsOf.Latest) && !(asOf instanceof AsOf.Time)) {
      throw new IllegalArgumentException(
          "no table of the "
              + cfg.describe()
              + " has "
              + asOf.describe()
              + (asOf instanceof AsOf.Ref
                  ? " (for a point in time give an ISO timestamp, e.g. 2026-11-25T00:00:00Z)"
                  : ""));
    }
    try {
      return new LakehouseSql(
          connect(planned), asOf, planned.stream().map(PlannedTable::view).toList());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot set up DuckDB over the lakehouse: " + e.getMessage(), e);
    }
  }

  /** The queryable tables with the snapshot each one reads. */
  public List<View> views() {
    return views;
  }

  /** The as-of these views were planned at. */
  public AsOf asOf() {
    return asOf;
  }

  /** Runs one read-only statement and returns all its rows. */
  public QueryResult query(String sql) {
    return query(sql, Integer.MAX_VALUE);
  }

  /**
   * Runs one read-only statement and returns at most {@code maxRows} rows.
   *
   * @throws IllegalArgumentException if the statement is refused (the message starts with {@code
   *     parity sql is read-only}) or DuckDB rejects it
   */
  public QueryResult query(String sql, int maxRows) {
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows must not be negative, got " + maxRows);
    }
    ReadOnlySql.check(sql);
    // DuckDB's JDBC statement is unusable after an error: one statement per query.
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      List<String> types = new ArrayList<>(n);
      for (int c = 1; c <= n; c++) {
        columns.add(md.getColumnLabel(c));
        types.add(md.getColumnTypeName(c));
      }
      List<List<Object>> rows = new ArrayList<>();
      boolean truncated = false;
      while (rs.next()) {
        if (rows.size() == maxRows) {
          truncated = true;
          break;
        }
        List<Object> row = new ArrayList<>(n);
        for (int c = 1; c <= n; c++) {
          row.add(javaValue(rs.getObject(c)));
        }
        rows.add(row);
      }
      return new QueryResult(columns, types, rows, truncated);
    } catch (SQLException e) {
      String message = e.getMessage();
      String hint =
          message != null && message.contains("does not exist")
              ? "\nqueryable tables ("
                  + asOf.describe()
                  + "): "
                  + views.stream().map(View::name).toList()
              : "";
      throw new IllegalArgumentException("query failed: " + message + hint, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close DuckDB", e);
    }
  }

  /** A table's snapshot, planned: its schema at that snapshot and its data files. */
  private record PlannedTable(
      View view, String schemaName, String tableName, Schema schema, List<String> files) {}

  private static PlannedTable plan(TableIdentifier id, Table table, Snapshot snapshot) {
    Schema schema = table.schema();
    List<String> files = new ArrayList<>();
    if (snapshot != null) {
      TableScan scan = table.newScan().useSnapshot(snapshot.snapshotId());
      schema = scan.schema();
      Set<String> seen = new LinkedHashSet<>();
      try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
        for (FileScanTask task : tasks) {
          if (!task.deletes().isEmpty()) {
            throw new IllegalStateException(
                id
                    + " has delete files at snapshot "
                    + snapshot.snapshotId()
                    + "; parity sql reads append/overwrite tables only");
          }
          seen.add(localPath(task.file().location()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot plan " + id, e);
      }
      files.addAll(seen);
    }
    View view =
        new View(id.toString(), snapshot == null ? -1 : snapshot.snapshotId(), files.size());
    return new PlannedTable(view, id.namespace().toString(), id.name(), schema, files);
  }

  /** DuckDB reads local files by path; other schemes (s3://, ...) pass through unchanged. */
  static String localPath(String location) {
    if (location.startsWith("file://")) {
      return location.substring("file://".length());
    } else if (location.startsWith("file:")) {
      return location.substring("file:".length());
    }
    return location;
  }

  private static Connection connect(List<PlannedTable> tables) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try {
      execute(c, "SET TimeZone = 'UTC'");
      execute(c, "SET autoinstall_known_extensions = false");
      execute(c, "SET autoload_known_extensions = false");
      Set<String> schemas = new TreeSet<>(STANDARD_SCHEMAS);
      tables.forEach(t -> schemas.add(t.schemaName()));
      for (String schema : schemas) {
        execute(c, "CREATE SCHEMA IF NOT EXISTS " + ident(schema));
      }
      List<String> allFiles = new ArrayList<>();
      for (PlannedTable t : tables) {
        execute(
            c,
            "CREATE VIEW "
                + ident(t.schemaName())
                + "."
                + ident(t.tableName())
                + " AS "
                + viewQuery(c, t));
        allFiles.addAll(t.files());
      }
      // Lock down: from here on DuckDB may read the planned data files and nothing else, and
      // nobody can change a setting back.
      execute(c, "SET allowed_paths = " + stringList(allFiles));
      execute(c, "SET enable_external_access = false");
      execute(c, "SET lock_configuration = true");
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * The view's SELECT: every column of the snapshot's schema, in order and typed, so that files
   * written before a column was added read null for it, and an empty snapshot still has columns.
   */
  private static String viewQuery(Connection c, PlannedTable t) throws SQLException {
    List<NestedField> columns = t.schema().columns();
    if (t.files().isEmpty()) {
      String select =
          columns.stream()
              .map(f -> "CAST(NULL AS " + duckType(f.type()) + ") AS " + ident(f.name()))
              .collect(Collectors.joining(", "));
      return "SELECT " + select + " WHERE false";
    }
    String source = "read_parquet(" + stringList(t.files()) + ", union_by_name = true)";
    Set<String> present = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) {
        present.add(rs.getString("column_name"));
      }
    }
    String select =
        columns.stream()
            .map(
                f ->
                    (present.contains(f.name()) ? "CAST(" + ident(f.name()) : "CAST(NULL")
                        + " AS "
                        + duckType(f.type())
                        + ") AS "
                        + ident(f.name()))
            .collect(Collectors.joining(", "));
    return "SELECT " + select + " FROM " + source;
  }

  static String duckType(Type type) {
    return switch (type.typeId()) {
      case STRING -> "VARCHAR";
      case INTEGER -> "INTEGER";
      case LONG -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "FLOAT";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case TIME -> "TIME";
      case TIMESTAMP ->
          ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMPTZ" : "TIMESTAMP";
      case DECIMAL -> {
        Types.DecimalType d = (Types.DecimalType) type;
        yield "DECIMAL(" + d.precision() + ", " + d.scale() + ")";
      }
      case UUID -> "UUID";
      case BINARY, FIXED -> "BLOB";
      default ->
          throw new IllegalArgumentException(
              "parity sql cannot map Iceberg type " + type + " to DuckDB");
    };
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String ident(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String stringList(List<String> values) {
    return values.stream()
        .map(v -> "'" + v.replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** JDBC values as plain Java: UTC timestamps, java.time dates, lists for arrays. */
  private static Object javaValue(Object v) throws SQLException {
    if (v instanceof OffsetDateTime ts) {
      return ts.withOffsetSameInstant(ZoneOffset.UTC);
    } else if (v instanceof java.sql.Timestamp ts) {
      return ts.toLocalDateTime();
    } else if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    } else if (v instanceof Array array) {
      Object[] elements = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(elements.length);
      for (Object e : elements) {
        list.add(javaValue(e));
      }
      return list;
    } else if (v instanceof java.sql.Blob blob) {
      return blob.getBytes(1, Math.toIntExact(blob.length()));
    } else if (v instanceof java.sql.Struct struct) {
      return Arrays.asList(struct.getAttributes());
    }
    return v;
  }

  @Override
  public String toString() {
    return "LakehouseSql[" + asOf.describe() + ", " + views + "]";
  }
}
