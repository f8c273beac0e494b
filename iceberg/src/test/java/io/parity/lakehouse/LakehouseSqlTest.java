package io.parity.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Analysts' SQL: views over snapshots, read-only enforcement, formatting. */
class LakehouseSqlTest {
  @TempDir static Path dir;
  private static CatalogConfig cfg;
  private static LakehouseSql sql;

  @BeforeAll
  static void writeTables() {
    cfg = CatalogConfig.embedded(dir.resolve("warehouse"));
    Catalog catalog = cfg.open();
    try {
      LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS);
      Table gold = LakehouseTables.ensure(catalog, LakehouseTables.GOLD_CARD_DAILY);
      TestEvents.append(
          gold,
          List.of(
              goldRow("2026-11-23", "tok_1", 3, 30.5, 0),
              goldRow("2026-11-23", "tok_2", 1, 9.99, 1),
              goldRow("2026-11-24", "tok_1", 2, 100.0, 0)));
    } finally {
      CatalogConfig.close(catalog);
    }
    sql = LakehouseSql.open(cfg, AsOf.latest());
  }

  @AfterAll
  static void closeSql() {
    sql.close();
  }

  private static Map<String, Object> goldRow(
      String day, String card, long payments, double sum, long fraud) {
    Map<String, Object> row = new HashMap<>();
    row.put("day", LocalDate.parse(day));
    row.put("card_token", card);
    row.put("payments", payments);
    row.put("amount_sum", sum);
    row.put("fraud_known", fraud);
    row.put("as_of", Instant.parse("2026-11-25T00:00:00Z"));
    return row;
  }

  @Test
  void tablesAreViewsWithTheIcebergTypes() {
    QueryResult r =
        sql.query("SELECT * FROM gold.card_daily WHERE card_token = 'tok_1' ORDER BY day");

    assertThat(r.columns())
        .containsExactly("day", "card_token", "payments", "amount_sum", "fraud_known", "as_of");
    assertThat(r.types())
        .containsExactly(
            "DATE", "VARCHAR", "BIGINT", "DOUBLE", "BIGINT", "TIMESTAMP WITH TIME ZONE");
    OffsetDateTime asOf = OffsetDateTime.parse("2026-11-25T00:00:00Z");
    assertThat(r.rows())
        .containsExactly(
            List.of(LocalDate.parse("2026-11-23"), "tok_1", 3L, 30.5, 0L, asOf),
            List.of(LocalDate.parse("2026-11-24"), "tok_1", 2L, 100.0, 0L, asOf));
    assertThat(sql.views())
        .extracting(LakehouseSql.View::name)
        .containsExactly("bronze.labels", "gold.card_daily");
  }

  @Test
  void aTableWithoutSnapshotsIsAnEmptyViewWithItsColumns() {
    QueryResult r = sql.query("SELECT * FROM bronze.labels");

    assertThat(r.rows()).isEmpty();
    assertThat(r.columns())
        .containsExactly(
            "event_id",
            "fraud",
            "label_time",
            "source",
            "source_partition",
            "source_offset",
            "ingest_time",
            "ingested_at",
            "run_id");
    assertThat(r.types()).contains("BOOLEAN", "TIMESTAMP WITH TIME ZONE", "INTEGER", "BIGINT");
    assertThat(sql.views()).contains(new LakehouseSql.View("bronze.labels", -1, 0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 1",
        "  -- a comment\n select count(*) from gold.card_daily;",
        "WITH t AS (SELECT * FROM gold.card_daily) SELECT count(*) FROM t",
        "VALUES (1, 'a')",
        "FROM gold.card_daily LIMIT 1",
        "DESCRIBE gold.card_daily",
        "SHOW TABLES",
        "SUMMARIZE gold.card_daily",
        "EXPLAIN SELECT * FROM gold.card_daily",
        "PRAGMA table_info('gold.card_daily')",
        "(SELECT 1)",
        "PIVOT gold.card_daily ON day USING sum(payments)",
        "SELECT 'insert into x; drop table y' AS s, \"update\" FROM (SELECT 1 AS \"update\")",
      })
  void readOnlyStatementsRun(String statement) {
    assertThat(sql.query(statement).columns()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO gold.card_daily VALUES (1)",
        "update gold.card_daily set payments = 0",
        "DELETE FROM gold.card_daily",
        "CREATE TABLE t AS SELECT 1",
        "CREATE OR REPLACE VIEW gold.card_daily AS SELECT 1",
        "DROP VIEW gold.card_daily",
        "ALTER VIEW gold.card_daily RENAME TO x",
        "COPY (SELECT 1) TO '/tmp/parity-out.csv'",
        "EXPORT DATABASE '/tmp/parity-export'",
        "ATTACH '/tmp/parity.db'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "PRAGMA threads = 1",
        "CHECKPOINT",
        "WITH t AS (SELECT 1) INSERT INTO x SELECT * FROM t",
        "EXPLAIN ANALYZE COPY (SELECT 1) TO '/tmp/x.csv'",
        "/* hidden */ DROP VIEW gold.card_daily",
        "TRUNCATE gold.card_daily",
      })
  void writeStatementsAreRefused(String statement) {
    assertThatThrownBy(() -> sql.query(statement))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("parity sql is read-only");
  }

  @Test
  void onlyOneStatementRunsAtATime() {
    assertThatThrownBy(() -> sql.query("SELECT 1; SELECT 2"))
        .hasMessageContaining("one statement at a time");
    assertThatThrownBy(() -> sql.query("SELECT E'\\'' AS a; DROP VIEW gold.card_daily --'"))
        .hasMessageStartingWith("parity sql is read-only");
    assertThatThrownBy(() -> sql.query("SELECT 1 -- c\r DROP VIEW gold.card_daily"))
        .hasMessageStartingWith("parity sql is read-only");
    assertThat(sql.query("SELECT count(*) FROM gold.card_daily").rows())
        .containsExactly(List.of(3L));
  }

  @Test
  void duckDbCannotTouchOtherFilesEvenFromASelect() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");

    assertThatThrownBy(() -> sql.query("SELECT * FROM read_csv('" + secret + "')"))
        .hasMessageContaining("query failed")
        .hasMessageContaining("disabled by configuration");
    assertThatThrownBy(() -> sql.query("SELECT * FROM glob('/etc/*')"))
        .hasMessageContaining("query failed");
  }

  @Test
  void anUnknownTableListsTheQueryableOnes() {
    assertThatThrownBy(() -> sql.query("SELECT * FROM silver.features"))
        .hasMessageContaining("query failed")
        .hasMessageContaining("queryable tables (latest): [bronze.labels, gold.card_daily]");
  }

  @Test
  void resultsFormatAsAlignedTableCsvAndJsonLines() {
    QueryResult r =
        sql.query(
            "SELECT * FROM (VALUES ('tok_1', 3, 30.5, TIMESTAMPTZ '2026-11-25 00:00:00+00'),"
                + " ('a,\"b\"', NULL, NULL, NULL)) t(card, n, amount, ts)");

    assertThat(r.toAlignedTable())
        .isEqualTo(
            """
            card  | n    | amount | ts
            ------+------+--------+---------------------
            tok_1 |    3 |   30.5 | 2026-11-25T00:00:00Z
            a,"b" | NULL |   NULL | NULL
            (2 rows)
            """);
    assertThat(r.toCsv())
        .isEqualTo(
            "card,n,amount,ts\r\ntok_1,3,30.5,2026-11-25T00:00:00Z\r\n\"a,\"\"b\"\"\",,,\r\n");
    assertThat(r.toJson())
        .isEqualTo(
            """
            {"card":"tok_1","n":3,"amount":30.5,"ts":"2026-11-25T00:00:00Z"}
            {"card":"a,\\"b\\"","n":null,"amount":null,"ts":null}
            """);
  }

  @Test
  void maxRowsTruncates() {
    QueryResult r = sql.query("SELECT * FROM range(10)", 4);

    assertThat(r.rows()).hasSize(4);
    assertThat(r.truncated()).isTrue();
    assertThat(r.toAlignedTable()).endsWith("(4 rows, truncated)\n");
  }

  @Test
  void asOfParsesNumbersTimestampsAndRefNames() {
    assertThat(AsOf.parse(null)).isEqualTo(AsOf.latest());
    assertThat(AsOf.parse(" latest ")).isEqualTo(AsOf.latest());
    assertThat(AsOf.parse("1234567890123")).isEqualTo(AsOf.snapshot(1234567890123L));
    assertThat(AsOf.parse("2026-11-25T10:00:00Z"))
        .isEqualTo(AsOf.time(Instant.parse("2026-11-25T10:00:00Z")));
    assertThat(AsOf.parse("2026-11-25T11:00:00+01:00"))
        .isEqualTo(AsOf.time(Instant.parse("2026-11-25T10:00:00Z")));
    assertThat(AsOf.parse("2026-11-25 10:00"))
        .isEqualTo(AsOf.time(Instant.parse("2026-11-25T10:00:00Z")));
    assertThat(AsOf.parse("training-v3")).isEqualTo(AsOf.ref("training-v3"));
    assertThat(AsOf.parse("2026-11-25")).isEqualTo(AsOf.ref("2026-11-25"));
    assertThatThrownBy(() -> AsOf.parse("2026-11-25T25:00"))
        .hasMessageContaining("is not an ISO-8601 timestamp");
    assertThatThrownBy(() -> AsOf.parse("99999999999999999999"))
        .hasMessageContaining("out of range");
  }

  @Test
  void readOnlyCheckIgnoresKeywordsInsideLiteralsAndComments() {
    assertThat(
            ReadOnlySql.tokens("SELECT 'drop' /* delete */ -- insert\n, \"copy\", $$set$$ FROM t"))
        .containsExactly("SELECT", "FROM", "T");
    assertThat(Arrays.asList(ReadOnlySql.tokens("select 1;;").toArray()))
        .containsExactly("SELECT", ";", ";");
  }
}
