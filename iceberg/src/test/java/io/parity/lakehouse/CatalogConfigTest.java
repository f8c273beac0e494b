package io.parity.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogConfigTest {
  @TempDir Path dir;

  @Test
  void embeddedIsAHadoopCatalogOnAnAbsoluteLocalDirectory() {
    CatalogConfig cfg = CatalogConfig.embedded(dir.resolve("wh"));

    assertThat(cfg.type()).isEqualTo("hadoop");
    assertThat(Path.of(cfg.warehouse())).isAbsolute();
    Catalog catalog = cfg.open();
    try {
      assertThat(catalog).isInstanceOf(HadoopCatalog.class);
      LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_EVENTS);
      assertThat(catalog.tableExists(LakehouseTables.BRONZE_EVENTS)).isTrue();
    } finally {
      CatalogConfig.close(catalog);
    }
    assertThat(dir.resolve("wh/bronze/events/metadata")).isDirectory();
  }

  @Test
  void eachOpenGivesAFreshCatalogSeeingTheSameTables() {
    CatalogConfig cfg = CatalogConfig.embedded(dir);
    Catalog first = cfg.open();
    Catalog second = cfg.open();
    try {
      assertThat(first).isNotSameAs(second);
      LakehouseTables.ensure(first, LakehouseTables.GOLD_CARD_DAILY);
      assertThat(second.tableExists(LakehouseTables.GOLD_CARD_DAILY)).isTrue();
    } finally {
      CatalogConfig.close(first);
      CatalogConfig.close(second);
    }
  }

  @Test
  void survivesJavaSerializationAsBeamShipsIt() throws Exception {
    CatalogConfig cfg =
        CatalogConfig.parse(
            "rest", null, List.of("uri=http://catalog:8181", "s3.endpoint=http://minio:9000"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(cfg);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(cfg);
    }
  }

  @Test
  void parsePassesPropertiesThroughUnchanged() {
    CatalogConfig cfg =
        CatalogConfig.parse(
            "JDBC",
            "s3://bucket/lakehouse",
            List.of(
                "uri=jdbc:postgresql://db:5432/iceberg?sslmode=require",
                "jdbc.user=parity",
                "jdbc.password=secret",
                "io-impl=org.apache.iceberg.aws.s3.S3FileIO"));

    assertThat(cfg.type()).isEqualTo("jdbc");
    assertThat(cfg.warehouse()).isEqualTo("s3://bucket/lakehouse");
    assertThat(cfg.properties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "uri", "jdbc:postgresql://db:5432/iceberg?sslmode=require",
                "jdbc.user", "parity",
                "jdbc.password", "secret",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));
    assertThat(cfg.toString()).doesNotContain("secret").contains("jdbc.password=****");
    assertThat(cfg.describe()).doesNotContain("secret");
  }

  @Test
  void parseMakesALocalHadoopWarehouseAbsolute() {
    CatalogConfig cfg = CatalogConfig.parse("hadoop", "work/lakehouse", List.of());

    assertThat(Path.of(cfg.warehouse()).isAbsolute()).isTrue();
    assertThat(cfg.warehouse()).endsWith("/work/lakehouse");
    assertThat(CatalogConfig.parse("hadoop", "file:/tmp/wh", null).warehouse())
        .isEqualTo("file:/tmp/wh");
  }

  @Test
  void parseFailsFastOnBadInput() {
    assertThatThrownBy(() -> CatalogConfig.parse("rest", null, List.of()))
        .hasMessageContaining("rest catalog needs the property uri");
    assertThatThrownBy(() -> CatalogConfig.parse("jdbc", "/tmp/wh", List.of()))
        .hasMessageContaining("jdbc catalog needs the property uri");
    assertThatThrownBy(() -> CatalogConfig.parse("jdbc", null, List.of("uri=jdbc:sqlite:x.db")))
        .hasMessageContaining("needs a warehouse");
    assertThatThrownBy(() -> CatalogConfig.parse("hadoop", null, List.of()))
        .hasMessageContaining("needs a warehouse");
    assertThatThrownBy(() -> CatalogConfig.parse("hive", "/tmp", List.of()))
        .hasMessageContaining("unknown catalog type 'hive'");
    assertThatThrownBy(() -> CatalogConfig.parse(null, "/tmp", List.of()))
        .hasMessageContaining("missing catalog type");
    assertThatThrownBy(() -> CatalogConfig.parse("rest", null, List.of("uri")))
        .hasMessageContaining("'uri' is not key=value");
    assertThatThrownBy(() -> CatalogConfig.parse("rest", null, List.of("=x")))
        .hasMessageContaining("is not key=value");
    assertThatThrownBy(() -> CatalogConfig.parse("rest", null, List.of("uri=a", "uri=b")))
        .hasMessageContaining("'uri' is given twice");
    assertThatThrownBy(() -> CatalogConfig.parse("hadoop", "/tmp/a", List.of("warehouse=/tmp/b")))
        .hasMessageContaining("given twice with different values");
    assertThatThrownBy(() -> CatalogConfig.parse("hadoop", "/tmp/a", List.of("type=rest")))
        .hasMessageContaining("not as a 'type' property");
  }

  @Test
  void aJdbcCatalogWithoutItsDriverFailsWithAHint() {
    CatalogConfig cfg =
        CatalogConfig.parse(
            "jdbc",
            dir.resolve("wh").toString(),
            List.of("uri=jdbc:sqlite:" + dir.resolve("catalog.db")));

    assertThatThrownBy(cfg::open)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot open the jdbc catalog")
        .hasMessageContaining("needs the JDBC driver");
  }
}
