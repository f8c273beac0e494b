package io.parity.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseTablesTest {
  @TempDir Path dir;
  private CatalogConfig cfg;
  private Catalog catalog;

  @BeforeEach
  void openCatalog() {
    cfg = CatalogConfig.embedded(dir);
    catalog = cfg.open();
  }

  @AfterEach
  void closeCatalog() {
    CatalogConfig.close(catalog);
  }

  @Test
  void ensureCreatesEveryTableWithTheDefinedFieldIdsAndPartitioning() {
    for (TableIdentifier id : LakehouseTables.ALL) {
      Table table = LakehouseTables.ensure(catalog, id);
      Schema defined = LakehouseTables.schema(id);
      for (NestedField f : defined.columns()) {
        NestedField actual = table.schema().findField(f.name());
        assertThat(actual.fieldId()).as(id + "." + f.name()).isEqualTo(f.fieldId());
        assertThat(actual.type()).isEqualTo(f.type());
        assertThat(actual.isOptional()).isEqualTo(f.isOptional());
      }
      assertThat(table.spec().fields().stream().map(PartitionField::name).toList())
          .isEqualTo(LakehouseTables.spec(id).fields().stream().map(PartitionField::name).toList());
    }
    assertThat(LakehouseTables.spec(LakehouseTables.BRONZE_EVENTS).fields().get(0).transform())
        .hasToString("day");
    assertThat(LakehouseInfo.tables(catalog))
        .extracting(LakehouseInfo.TableInfo::name)
        .containsExactly(
            "bronze.events",
            "bronze.labels",
            "gold.card_daily",
            "gold.merchant_daily",
            "silver.features");
  }

  @Test
  void ensureLoadsAnExistingTable() {
    Table created = LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS);
    Table loaded = LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS);

    assertThat(loaded.uuid()).isEqualTo(created.uuid());
    assertThat(loaded.schema().schemaId()).isEqualTo(created.schema().schemaId());
  }

  @Test
  void ensureSilverAddsFeatureColumnsAndOldRowsReadNullForThem() {
    Table v1 = LakehouseTables.ensureSilver(catalog, List.of("amount_sum_1h"));
    TestEvents.append(v1, List.of(silverRow("e1", Map.of("amount_sum_1h", 12.5))));

    Table v2 = LakehouseTables.ensureSilver(catalog, List.of("amount_sum_1h", "count_24h"));
    TestEvents.append(v2, List.of(silverRow("e2", Map.of("amount_sum_1h", 1.0, "count_24h", 3.0))));

    assertThat(LakehouseTables.featureColumns(v2.schema()))
        .containsExactly("amount_sum_1h", "count_24h");
    assertThat(v2.schema().findField("amount_sum_1h").fieldId()).isEqualTo(7);
    assertThat(v2.schema().findField("count_24h").fieldId()).isEqualTo(8);
    Map<String, List<Object>> byId = new HashMap<>();
    for (Record r : TestEvents.read(v2)) {
      byId.put(
          (String) r.getField("event_id"),
          Arrays.asList(r.getField("amount_sum_1h"), r.getField("count_24h")));
    }
    assertThat(byId)
        .isEqualTo(Map.of("e1", Arrays.asList(12.5, null), "e2", Arrays.asList(1.0, 3.0)));
    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.latest())) {
      assertThat(
              sql.query("SELECT event_id, amount_sum_1h, count_24h FROM silver.features ORDER BY 1")
                  .rows())
          .containsExactly(Arrays.asList("e1", 12.5, null), Arrays.asList("e2", 1.0, 3.0));
    }
    // An older feature list changes nothing: columns are never dropped.
    Table again = LakehouseTables.ensureSilver(catalog, List.of("amount_sum_1h"));
    assertThat(LakehouseTables.featureColumns(again.schema()))
        .containsExactly("amount_sum_1h", "count_24h");
  }

  @Test
  void timeTravelToBeforeAColumnWasAddedShowsTheOldSchema() {
    Table v1 = LakehouseTables.ensureSilver(catalog, List.of("f1"));
    TestEvents.append(v1, List.of(silverRow("e1", Map.of("f1", 1.0))));
    long s1 = v1.currentSnapshot().snapshotId();
    Table v2 = LakehouseTables.ensureSilver(catalog, List.of("f1", "f2"));
    TestEvents.append(v2, List.of(silverRow("e2", Map.of("f1", 2.0, "f2", 3.0))));

    try (LakehouseSql sql = LakehouseSql.open(cfg, AsOf.snapshot(s1))) {
      QueryResult r = sql.query("SELECT * FROM silver.features");
      assertThat(r.columns()).doesNotContain("f2").contains("f1");
      assertThat(r.rows()).hasSize(1);
    }
  }

  private static Map<String, Object> silverRow(String id, Map<String, Double> features) {
    Map<String, Object> row = new HashMap<>(features);
    row.put("event_id", id);
    row.put("event_time", Instant.parse("2026-11-24T10:00:00Z"));
    row.put("spec_fingerprint", "fp");
    return row;
  }

  @Test
  void ensureSilverRefusesFeatureNamesThatCollide() {
    assertThatThrownBy(() -> LakehouseTables.ensureSilver(catalog, List.of("event_id")))
        .hasMessageContaining("collides with the silver column event_id (string)");
    assertThatThrownBy(() -> LakehouseTables.ensureSilver(catalog, List.of("Event_Time")))
        .hasMessageContaining("collides with the silver column event_time");
    assertThatThrownBy(() -> LakehouseTables.ensureSilver(catalog, List.of("f", "F")))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> LakehouseTables.ensureSilver(catalog, List.of(" ")))
        .hasMessageContaining("blank");

    LakehouseTables.ensureSilver(catalog, List.of("velocity"));
    assertThatThrownBy(() -> LakehouseTables.ensureSilver(catalog, List.of("Velocity")))
        .hasMessageContaining("collides with the existing column 'velocity'");
  }

  @Test
  void ensureRefusesATableWhoseColumnHasAnotherType() {
    Table table = LakehouseTables.ensureSilver(catalog, List.of());
    table.updateSchema().addColumn("score", Types.StringType.get()).commit();

    assertThatThrownBy(() -> LakehouseTables.ensureSilver(catalog, List.of("score")))
        .hasMessageContaining("column score of")
        .hasMessageContaining("is string, expected double");
  }

  @Test
  void toRecordConvertsJavaValues() {
    Schema schema = LakehouseTables.schema(LakehouseTables.BRONZE_EVENTS);
    long millis = Instant.parse("2026-11-24T10:15:30.123Z").toEpochMilli();
    OffsetDateTime expected =
        OffsetDateTime.of(2026, 11, 24, 10, 15, 30, 123_000_000, ZoneOffset.UTC);
    Map<String, Object> columns = new HashMap<>();
    columns.put("event_id", "e1");
    columns.put("event_time", millis);
    columns.put("ingest_time", Instant.ofEpochMilli(millis));
    columns.put("ingested_at", new org.joda.time.Instant(millis));
    columns.put("source_partition", 3);
    columns.put("source_offset", 7);
    columns.put("amount", 12);
    columns.put("latitude", null);

    Record r = LakehouseTables.toRecord(schema, columns);

    assertThat(r.getField("event_time")).isEqualTo(expected);
    assertThat(r.getField("ingest_time")).isEqualTo(expected);
    assertThat(r.getField("ingested_at")).isEqualTo(expected);
    assertThat(r.getField("source_offset")).isEqualTo(7L);
    assertThat(r.getField("amount")).isEqualTo(12.0);
    assertThat(r.getField("latitude")).isNull();
    assertThat(LakehouseTables.toColumns(r)).containsEntry("event_id", "e1").hasSize(17);

    Schema gold = LakehouseTables.schema(LakehouseTables.GOLD_CARD_DAILY);
    Record g =
        LakehouseTables.toRecord(
            gold,
            Map.of(
                "day",
                "2026-11-24",
                "card_token",
                "tok_1",
                "as_of",
                OffsetDateTime.parse("2026-11-25T01:00:00+01:00")));
    assertThat(g.getField("day")).isEqualTo(LocalDate.of(2026, 11, 24));
    assertThat(g.getField("as_of")).isEqualTo(OffsetDateTime.parse("2026-11-25T00:00:00Z"));
  }

  @Test
  void toRecordRejectsBadInputWithClearMessages() {
    Schema schema = LakehouseTables.schema(LakehouseTables.BRONZE_EVENTS);

    assertThatThrownBy(() -> LakehouseTables.toRecord(schema, Map.of("event_id", "e", "card", "1")))
        .hasMessageContaining("unknown column 'card'")
        .hasMessageContaining("card_token");
    assertThatThrownBy(() -> LakehouseTables.toRecord(schema, Map.of("amount", 1.0)))
        .hasMessageContaining("column event_id is required");
    assertThatThrownBy(
            () -> LakehouseTables.toRecord(schema, Map.of("event_id", "e", "amount", "12.5")))
        .hasMessageContaining("column amount (double) cannot take a java.lang.String");
    assertThatThrownBy(
            () ->
                LakehouseTables.toRecord(
                    schema, Map.of("event_id", "e", "source_partition", 1L << 40)))
        .hasMessageContaining("column source_partition (int) cannot take");
    assertThatThrownBy(() -> LakehouseTables.toRecord(schema, Map.of("event_id", 42)))
        .hasMessageContaining("column event_id (string) cannot take a java.lang.Integer");
  }
}
