package io.parity.lakehouse;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Where the lakehouse lives: an Iceberg catalog type, a warehouse location and catalog properties
 * passed through unchanged, serializable so Beam DoFns can open their own catalog.
 *
 * <p>{@code hadoop} (the embedded default) keeps table metadata as files under a warehouse
 * directory, no server needed. {@code jdbc} and {@code rest} are for teams: every property ({@code
 * uri}, {@code jdbc.user}, {@code io-impl}, {@code s3.endpoint}, ...) goes to the catalog as given.
 * Parity ships no JDBC driver: a JDBC catalog needs its driver (e.g. SQLite, PostgreSQL) on the
 * classpath.
 */
public record CatalogConfig(String type, String warehouse, Map<String, String> properties)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Catalog types Parity accepts. */
  public static final Set<String> TYPES = Set.of("hadoop", "jdbc", "rest");

  /** The catalog name Iceberg sees (it appears in logs and metrics only). */
  static final String CATALOG_NAME = "parity";

  private static final List<String> SECRET_MARKERS =
      List.of("password", "secret", "token", "credential", "key");

  public CatalogConfig {
    Objects.requireNonNull(type, "type");
    type = type.trim().toLowerCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "unknown catalog type '" + type + "': use one of hadoop (embedded), jdbc, rest");
    }
    if (warehouse != null && warehouse.isBlank()) {
      warehouse = null;
    }
    properties =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(properties == null ? Map.<String, String>of() : properties));
    if (properties.containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE)) {
      throw new IllegalArgumentException(
          "give the catalog type as the type, not as a 'type' property");
    }
    String warehouseProperty = properties.get(CatalogProperties.WAREHOUSE_LOCATION);
    if (warehouseProperty != null && warehouse != null && !warehouseProperty.equals(warehouse)) {
      throw new IllegalArgumentException(
          "the warehouse is given twice with different values: '"
              + warehouse
              + "' and property warehouse='"
              + warehouseProperty
              + "'");
    }
    switch (type) {
      case "hadoop" -> {
        if (warehouse == null && warehouseProperty == null) {
          throw new IllegalArgumentException(
              "a hadoop catalog needs a warehouse (a directory, e.g. work/lakehouse)");
        }
      }
      case "jdbc" -> {
        requireUri(type, properties, "jdbc:sqlite:/path/catalog.db or jdbc:postgresql://host/db");
        if (warehouse == null && warehouseProperty == null) {
          throw new IllegalArgumentException(
              "a jdbc catalog needs a warehouse (where data files go, e.g. s3://bucket/lakehouse)");
        }
      }
      case "rest" -> requireUri(type, properties, "http://host:8181");
      default -> throw new IllegalStateException("unreachable: " + type);
    }
  }

  private static void requireUri(String type, Map<String, String> properties, String example) {
    String uri = properties.get(CatalogProperties.URI);
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          "a " + type + " catalog needs the property uri (e.g. uri=" + example + ")");
    }
  }

  /** The embedded default: a Hadoop catalog on a local warehouse directory. */
  public static CatalogConfig embedded(Path warehouse) {
    Objects.requireNonNull(warehouse, "warehouse");
    return new CatalogConfig("hadoop", warehouse.toAbsolutePath().normalize().toString(), Map.of());
  }

  /**
   * Parses command-line style input: a type, a warehouse (may be null for {@code rest}) and {@code
   * key=value} catalog properties. A local hadoop warehouse is made absolute so that every worker
   * resolves the same directory.
   */
  public static CatalogConfig parse(String type, String warehouse, List<String> keyValues) {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("missing catalog type: use hadoop, jdbc or rest");
    }
    Map<String, String> properties = new TreeMap<>();
    for (String kv : keyValues == null ? List.<String>of() : keyValues) {
      int eq = kv == null ? -1 : kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "catalog property '" + kv + "' is not key=value (e.g. uri=http://host:8181)");
      }
      String key = kv.substring(0, eq).trim();
      String value = kv.substring(eq + 1);
      if (key.isEmpty()) {
        throw new IllegalArgumentException("catalog property '" + kv + "' has an empty key");
      }
      if (properties.put(key, value) != null) {
        throw new IllegalArgumentException("catalog property '" + key + "' is given twice");
      }
    }
    String normalizedType = type.trim().toLowerCase(Locale.ROOT);
    String location = warehouse == null || warehouse.isBlank() ? null : warehouse.trim();
    if (location != null && normalizedType.equals("hadoop") && !hasScheme(location)) {
      location = Paths.get(location).toAbsolutePath().normalize().toString();
    }
    return new CatalogConfig(normalizedType, location, properties);
  }

  private static boolean hasScheme(String location) {
    return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("^[a-zA-Z]:\\\\.*");
  }

  /**
   * Opens a fresh catalog (callers close it when done, see {@link #close(Catalog)}). The Hadoop
   * configuration is created here, not carried, because it is not serializable.
   */
  public Catalog open() {
    Map<String, String> props = new HashMap<>(properties);
    if (warehouse != null) {
      props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    }
    props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, type);
    Configuration conf = new Configuration();
    try {
      return CatalogUtil.buildIcebergCatalog(CATALOG_NAME, props, conf);
    } catch (RuntimeException e) {
      String hint =
          type.equals("jdbc")
              ? " (a jdbc catalog needs the JDBC driver for "
                  + properties.get(CatalogProperties.URI)
                  + " on the classpath; Parity ships none)"
              : "";
      throw new IllegalStateException("cannot open the " + describe() + hint, e);
    }
  }

  /** Closes a catalog opened by {@link #open()} if it holds resources (connections, clients). */
  public static void close(Catalog catalog) {
    if (catalog instanceof org.apache.iceberg.hadoop.HadoopCatalog) {
      // Closing a HadoopCatalog shuts down its lock manager's scheduler, which Iceberg shares
      // between all in-memory lock managers of the JVM: a worker closing its catalog then made
      // another worker's concurrent commit fail (RejectedExecutionException on Flink). It holds
      // no other resource worth releasing (a Hadoop FileIO), so it is left open.
      return;
    }
    if (catalog instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close catalog " + catalog.name(), e);
      }
    }
  }

  /** A one-line description for logs and error messages, with secrets masked. */
  public String describe() {
    StringBuilder sb = new StringBuilder(type).append(" catalog");
    if (warehouse != null) {
      sb.append(" at ").append(warehouse);
    }
    if (!properties.isEmpty()) {
      sb.append(' ').append(maskedProperties());
    }
    return sb.toString();
  }

  private Map<String, String> maskedProperties() {
    Map<String, String> masked = new TreeMap<>();
    properties.forEach(
        (k, v) -> {
          String lower = k.toLowerCase(Locale.ROOT);
          boolean secret = SECRET_MARKERS.stream().anyMatch(lower::contains);
          masked.put(k, secret ? "****" : v);
        });
    return masked;
  }

  @Override
  public String toString() {
    return "CatalogConfig[type="
        + type
        + ", warehouse="
        + warehouse
        + ", properties="
        + maskedProperties()
        + "]";
  }
}
