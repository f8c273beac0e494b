package io.parity.lakehouse;

import static io.parity.lakehouse.TestEvents.Payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WriteToIceberg on the Direct and Flink runners: one atomic commit, idempotency, crashes. */
@Timeout(120)
class WriteToIcebergTest {
  private static final Map<String, List<CommitResult>> RESULTS = new ConcurrentHashMap<>();

  @TempDir Path dir;
  private CatalogConfig cfg;
  private Catalog catalog;

  @BeforeEach
  void openCatalog() {
    cfg = CatalogConfig.embedded(dir.resolve("warehouse"));
    catalog = cfg.open();
  }

  @AfterEach
  void closeCatalog() {
    CatalogConfig.close(catalog);
  }

  private static String[] runner(String name) {
    return switch (name) {
      case "direct" -> new String[] {"--runner=DirectRunner"};
      case "flink" ->
          new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"};
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Runs one pipeline writing {@code payments} through {@code sink}; returns its results. */
  private static List<CommitResult> write(
      String runner, List<Payment> payments, WriteToIceberg<Payment> sink) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(runner(runner)).create());
    String key = UUID.randomUUID().toString();
    RESULTS.put(key, new CopyOnWriteArrayList<>());
    p.apply("CreatePayments", Create.of(payments).withCoder(SerializableCoder.of(Payment.class)))
        .apply("WriteToIceberg", sink)
        .apply("CollectResults", ParDo.of(new Collect(key)));
    PipelineResult.State state = p.run().waitUntilFinish();
    assertThat(state).isEqualTo(PipelineResult.State.DONE);
    return RESULTS.remove(key);
  }

  /** Hands commit results back to the test (same JVM on Direct and Flink[local]). */
  static final class Collect extends DoFn<CommitResult, Void> {
    private final String key;

    Collect(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element CommitResult r) {
      RESULTS.get(key).add(r);
    }
  }

  private WriteToIceberg<Payment> bronze(String runId) {
    return WriteToIceberg.to(cfg, LakehouseTables.BRONZE_EVENTS, TestEvents.bronzeColumns(runId))
        .withRunId(runId);
  }

  private static List<List<Object>> expected(List<Payment> payments) {
    return payments.stream().map(TestEvents::expectedKey).toList();
  }

  private List<List<Object>> sqlKeys(String table) {
    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.latest())) {
      return sql.query("SELECT event_id, event_time, card_token, amount FROM " + table).rows();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  void appendedRowsReadBackThroughIcebergAndSql(String runner) {
    List<Payment> payments = TestEvents.payments("e", 300);

    List<CommitResult> results = write(runner, payments, bronze("run-1").withSourceId("file:a"));

    Table table = catalog.loadTable(LakehouseTables.BRONZE_EVENTS);
    Snapshot snapshot = table.currentSnapshot();
    assertThat(results).hasSize(1);
    CommitResult result = results.get(0);
    assertThat(result.skipped()).isFalse();
    assertThat(result.records()).isEqualTo(300);
    assertThat(result.snapshotId()).isEqualTo(snapshot.snapshotId());
    assertThat(snapshot.summary())
        .containsEntry(WriteToIceberg.RUN_ID, "run-1")
        .containsEntry(WriteToIceberg.SOURCE_ID, "file:a")
        .containsEntry(WriteToIceberg.RECORDS, "300");
    // 3 days x 2 shards at most, however the runner bundled the input.
    assertThat(result.dataFiles()).isBetween(3, 6);
    assertThat(TestEvents.referencedDataFiles(table)).isEqualTo(result.dataFiles());
    assertThat(LakehouseInfo.orphanFiles(table, java.time.Instant.now().plusSeconds(1))).isEmpty();

    List<Record> rows = TestEvents.read(table);
    assertThat(rows.stream().map(TestEvents::key).toList())
        .containsExactlyInAnyOrderElementsOf(expected(payments));
    assertThat(sqlKeys("bronze.events")).containsExactlyInAnyOrderElementsOf(expected(payments));
    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.latest())) {
      QueryResult r =
          sql.query(
              "SELECT source_partition, source_offset, ingest_time, currency FROM bronze.events"
                  + " WHERE event_id = 'e7'");
      assertThat(r.types())
          .containsExactly("INTEGER", "BIGINT", "TIMESTAMP WITH TIME ZONE", "VARCHAR");
      assertThat(r.rows()).containsExactly(java.util.Arrays.asList(3, 2L, null, "EUR"));
    }
  }

  @Test
  void eachPartitionAndShardBecomesOneFile() {
    List<Payment> payments = TestEvents.payments("e", 90);

    CommitResult one =
        write("direct", payments, bronze("r1").withShards(1).withSourceId("a")).get(0);
    CommitResult three =
        write("direct", payments, bronze("r2").withShards(3).withSourceId("b")).get(0);

    assertThat(one.dataFiles()).isEqualTo(3);
    assertThat(three.dataFiles()).isBetween(4, 9);
    Table table = catalog.loadTable(LakehouseTables.BRONZE_EVENTS);
    assertThat(TestEvents.parquetFilesOnDisk(table)).isEqualTo(one.dataFiles() + three.dataFiles());
  }

  @Test
  void rerunningAnAppendWithTheSameSourceIdAddsNothing() {
    List<Payment> payments = TestEvents.payments("e", 120);
    CommitResult first = write("direct", payments, bronze("r1").withSourceId("file:a")).get(0);

    CommitResult again = write("direct", payments, bronze("r2").withSourceId("file:a")).get(0);

    Table table = catalog.loadTable(LakehouseTables.BRONZE_EVENTS);
    assertThat(again.skipped()).isTrue();
    assertThat(again.snapshotId()).isEqualTo(-1);
    assertThat(again.records()).isZero();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(first.snapshotId());
    assertThat(TestEvents.read(table)).hasSize(120);
    // The skipped run deleted the data files it had written: no orphans.
    assertThat(TestEvents.parquetFilesOnDisk(table))
        .isEqualTo(TestEvents.referencedDataFiles(table));

    CommitResult other = write("direct", payments, bronze("r3").withSourceId("file:b")).get(0);
    assertThat(other.skipped()).isFalse();
    assertThat(TestEvents.read(catalog.loadTable(LakehouseTables.BRONZE_EVENTS))).hasSize(240);
  }

  @Test
  void anEmptyAppendCommitsNothing() {
    CommitResult result = write("direct", List.of(), bronze("r1").withSourceId("empty")).get(0);

    assertThat(result).isEqualTo(new CommitResult("bronze.events", -1, 0, 0, false));
    Table table = catalog.loadTable(LakehouseTables.BRONZE_EVENTS);
    assertThat(table.currentSnapshot()).isNull();
    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.latest())) {
      assertThat(sql.query("SELECT count(*) FROM bronze.events").rows())
          .containsExactly(List.of(0L));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  void aCrashBeforeCommitFailsTheRunAndKeepsThePreviousSnapshot(String runner) {
    List<Payment> first = TestEvents.payments("a", 60);
    long before = write("direct", first, bronze("r1")).get(0).snapshotId();
    Table table = catalog.loadTable(LakehouseTables.BRONZE_EVENTS);
    long filesBefore = TestEvents.parquetFilesOnDisk(table);

    assertThatThrownBy(
            () ->
                write(
                    runner,
                    TestEvents.payments("b", 60),
                    bronze("r2")
                        .withBeforeCommit(
                            () -> {
                              throw new IllegalStateException("injected crash before commit");
                            })))
        .hasStackTraceContaining("injected crash before commit");

    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(TestEvents.read(table).stream().map(TestEvents::key).toList())
        .containsExactlyInAnyOrderElementsOf(expected(first));
    assertThat(sqlKeys("bronze.events")).containsExactlyInAnyOrderElementsOf(expected(first));
    // The crashed run's data files stay behind, unreferenced (documented orphans).
    long orphans = TestEvents.parquetFilesOnDisk(table) - filesBefore;
    assertThat(orphans).isPositive();
    assertThat(LakehouseInfo.orphanFiles(table, java.time.Instant.now().plusSeconds(1)))
        .hasSize((int) orphans)
        .allMatch(f -> f.endsWith(".parquet"));
    assertThat(LakehouseInfo.orphanFiles(table, java.time.Instant.now().minusSeconds(3600)))
        .isEmpty();
  }

  private static SerializableFunction<Payment, Map<String, Object>> silver(String fingerprint) {
    return p -> {
      Map<String, Object> row = new HashMap<>();
      row.put("event_id", p.id());
      row.put("card_token", p.card());
      row.put("event_time", p.timeMillis());
      row.put("spec_fingerprint", fingerprint);
      row.put("processing_time", java.time.Instant.parse("2026-11-25T12:00:00Z"));
      row.put("amount_sum_1h", p.amount());
      row.put("count_1h", (double) p.partition());
      return row;
    };
  }

  private WriteToIceberg<Payment> overwrite(String fingerprint, String filterValue) {
    return WriteToIceberg.to(cfg, LakehouseTables.SILVER_FEATURES, silver(fingerprint))
        .withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)
        .withOverwriteFilter("spec_fingerprint", filterValue);
  }

  private Map<String, List<String>> silverIdsByFingerprint() {
    Map<String, List<String>> ids = new java.util.TreeMap<>();
    for (Record r : TestEvents.read(catalog.loadTable(LakehouseTables.SILVER_FEATURES))) {
      ids.computeIfAbsent((String) r.getField("spec_fingerprint"), k -> new ArrayList<>())
          .add((String) r.getField("event_id"));
    }
    ids.values().forEach(java.util.Collections::sort);
    return ids;
  }

  private static List<String> ids(List<Payment> payments) {
    return payments.stream().map(Payment::id).sorted().toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  void overwriteWhereReplacesOnlyTheMatchingRows(String runner) {
    LakehouseTables.ensureSilver(catalog, List.of("amount_sum_1h", "count_1h"));
    String fpA = "a".repeat(64);
    List<Payment> a1 = TestEvents.payments("a1-", 10);
    List<Payment> b = TestEvents.payments("b-", 8);
    List<Payment> a2 = TestEvents.payments("a2-", 4);
    write("direct", a1, overwrite(fpA, fpA));
    write("direct", b, overwrite("B", "B"));

    CommitResult replaced = write(runner, a2, overwrite(fpA, fpA)).get(0);

    assertThat(replaced.records()).isEqualTo(4);
    assertThat(silverIdsByFingerprint()).isEqualTo(Map.of(fpA, ids(a2), "B", ids(b)));
    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.latest())) {
      assertThat(
              sql.query(
                      "SELECT spec_fingerprint, count(*) FROM silver.features GROUP BY 1 ORDER BY 1")
                  .rows())
          .containsExactly(List.of("B", 8L), List.of(fpA, 4L));
    }
  }

  @Test
  void overwriteRefusesRowsOutsideItsFilterAndAnEmptyInputDeletesTheMatchingRows() {
    LakehouseTables.ensureSilver(catalog, List.of("amount_sum_1h", "count_1h"));
    List<Payment> a = TestEvents.payments("a-", 6);
    List<Payment> b = TestEvents.payments("b-", 5);
    write("direct", a, overwrite("A", "A"));
    write("direct", b, overwrite("B", "B"));
    long snapshot =
        catalog.loadTable(LakehouseTables.SILVER_FEATURES).currentSnapshot().snapshotId();

    assertThatThrownBy(() -> write("direct", a, overwrite("B", "A")))
        .hasStackTraceContaining("does not match the overwrite filter spec_fingerprint=A");
    assertThat(catalog.loadTable(LakehouseTables.SILVER_FEATURES).currentSnapshot().snapshotId())
        .isEqualTo(snapshot);

    CommitResult emptied = write("direct", List.of(), overwrite("A", "A")).get(0);
    assertThat(emptied.committed()).isTrue();
    assertThat(emptied.records()).isZero();
    assertThat(silverIdsByFingerprint()).isEqualTo(Map.of("B", ids(b)));
  }

  @Test
  void overwriteAllReplacesTheWholeTable() {
    LakehouseTables.ensureSilver(catalog, List.of("amount_sum_1h", "count_1h"));
    write("direct", TestEvents.payments("a-", 6), overwrite("A", "A"));
    List<Payment> b = TestEvents.payments("b-", 5);

    write(
        "direct",
        b,
        WriteToIceberg.to(cfg, LakehouseTables.SILVER_FEATURES, silver("B"))
            .withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)
            .withOverwriteAll());

    assertThat(silverIdsByFingerprint()).isEqualTo(Map.of("B", ids(b)));
  }

  @Test
  void misconfiguredSinksFailAtConstructionWithAClearMessage() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(runner("direct")).create());
    var input =
        p.apply(Create.of(List.<Payment>of()).withCoder(SerializableCoder.of(Payment.class)));

    assertThatThrownBy(
            () ->
                input.apply("NoFilter", bronze("r").withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)))
        .hasMessageContaining("needs withOverwriteFilter");
    assertThatThrownBy(() -> input.apply("FilterOnAppend", bronze("r").withOverwriteAll()))
        .hasMessageContaining("needs withMode(Mode.OVERWRITE_WHERE)");
    assertThatThrownBy(
            () ->
                input.apply(
                    "UnknownColumn",
                    bronze("r")
                        .withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)
                        .withOverwriteFilter("no_such", "x")))
        .hasMessageContaining("no_such");
    assertThatThrownBy(
            () ->
                input.apply(
                    "BadValue",
                    bronze("r")
                        .withMode(WriteToIceberg.Mode.OVERWRITE_WHERE)
                        .withOverwriteFilter("source_partition", "three")))
        .hasMessageContaining("not a valid int");
    assertThatThrownBy(() -> bronze("r").withShards(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(
            () ->
                input.apply(
                    "UnknownTable",
                    WriteToIceberg.to(
                        cfg,
                        org.apache.iceberg.catalog.TableIdentifier.of("x", "y"),
                        TestEvents.bronzeColumns("r"))))
        .hasMessageContaining("does not exist");
  }

  @Test
  void aJdbcCatalogGetsItsPropertiesOnEveryWorker() {
    // DuckDB's JDBC driver is on the classpath anyway (for SQL); it stands in for PostgreSQL here.
    cfg =
        CatalogConfig.parse(
            "jdbc",
            dir.resolve("jdbc-warehouse").toString(),
            List.of("uri=jdbc:duckdb:" + dir.resolve("catalog.duckdb")));
    List<Payment> payments = TestEvents.payments("j", 40);

    CommitResult result = write("direct", payments, bronze("r1").withSourceId("s")).get(0);

    Catalog jdbc = cfg.open();
    try {
      Table table = jdbc.loadTable(LakehouseTables.BRONZE_EVENTS);
      assertThat(table.location()).contains("jdbc-warehouse");
      assertThat(table.currentSnapshot().snapshotId()).isEqualTo(result.snapshotId());
      assertThat(TestEvents.read(table).stream().map(TestEvents::key).toList())
          .containsExactlyInAnyOrderElementsOf(expected(payments));
    } finally {
      CatalogConfig.close(jdbc);
    }
    assertThat(sqlKeys("bronze.events")).containsExactlyInAnyOrderElementsOf(expected(payments));
  }

  @Test
  void timeTravelSeesTheEarlierSnapshotBySnapshotIdTimeAndTag() throws Exception {
    List<Payment> first = TestEvents.payments("a", 30);
    List<Payment> second = TestEvents.payments("b", 20);
    long s1 = write("direct", first, bronze("r1").withSourceId("a")).get(0).snapshotId();
    Table table = catalog.loadTable(LakehouseTables.BRONZE_EVENTS);
    long s1Time = table.snapshot(s1).timestampMillis();
    Thread.sleep(5);
    long s2 = write("direct", second, bronze("r2").withSourceId("b")).get(0).snapshotId();
    table.refresh();
    table.manageSnapshots().createTag("v1", s1).commit();

    List<Payment> both = new ArrayList<>(first);
    both.addAll(second);
    for (AsOf asOf :
        List.of(
            AsOf.snapshot(s1),
            AsOf.time(java.time.Instant.ofEpochMilli(s1Time)),
            AsOf.ref("v1"),
            AsOf.parse(Long.toString(s1)),
            AsOf.parse(java.time.Instant.ofEpochMilli(s1Time).toString()),
            AsOf.parse("v1"))) {
      try (LakehouseSql sql = LakehouseSql.open(cfg, asOf)) {
        assertThat(
                sql.query("SELECT event_id, event_time, card_token, amount FROM bronze.events")
                    .rows())
            .as(asOf.describe())
            .containsExactlyInAnyOrderElementsOf(expected(first));
        assertThat(sql.views())
            .contains(
                new LakehouseSql.View(
                    "bronze.events", s1, (int) TestEvents.referencedDataFiles(table.snapshot(s1))));
      }
    }
    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.latest())) {
      assertThat(
              sql.query("SELECT event_id, event_time, card_token, amount FROM bronze.events")
                  .rows())
          .containsExactlyInAnyOrderElementsOf(expected(both));
    }
    try (LakehouseSql sql =
        LakehouseSql.open(cfg, AsOf.time(java.time.Instant.ofEpochMilli(s1Time - 60_000)))) {
      QueryResult empty = sql.query("SELECT * FROM bronze.events");
      assertThat(empty.rows()).isEmpty();
      assertThat(empty.columns()).startsWith("event_id", "event_time", "card_token");
    }
    assertThatThrownBy(() -> LakehouseSql.open(cfg, AsOf.ref("nope")))
        .hasMessageContaining("has tag/branch nope");

    assertThat(LakehouseInfo.tags(table)).isEqualTo(Map.of("v1", s1));
    assertThat(LakehouseInfo.snapshots(table))
        .extracting(LakehouseInfo.SnapshotInfo::snapshotId, LakehouseInfo.SnapshotInfo::runId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(s1, "r1"),
            org.assertj.core.groups.Tuple.tuple(s2, "r2"));
    assertThat(LakehouseInfo.tables(catalog))
        .contains(
            new LakehouseInfo.TableInfo(
                "bronze.events",
                s2,
                50,
                TestEvents.referencedDataFiles(table),
                java.time.Instant.ofEpochMilli(table.snapshot(s2).timestampMillis())));
  }
}
