package io.parity.lakehouse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.joda.time.ReadableInstant;

/**
 * The lakehouse's table definitions (identifiers, schemas with stable field ids, partition specs),
 * creating them on first use, and mapping plain Java values to Iceberg records.
 */
public final class LakehouseTables {
  /** Raw payment events with ingestion metadata: the master dataset. */
  public static final TableIdentifier BRONZE_EVENTS = TableIdentifier.of("bronze", "events");

  /** Raw fraud labels (they arrive late) with ingestion metadata. */
  public static final TableIdentifier BRONZE_LABELS = TableIdentifier.of("bronze", "labels");

  /** One row per event and feature spec: the feature values, one double column per feature. */
  public static final TableIdentifier SILVER_FEATURES = TableIdentifier.of("silver", "features");

  /** Daily aggregates per card token. */
  public static final TableIdentifier GOLD_CARD_DAILY = TableIdentifier.of("gold", "card_daily");

  /** Daily aggregates per merchant. */
  public static final TableIdentifier GOLD_MERCHANT_DAILY =
      TableIdentifier.of("gold", "merchant_daily");

  /** Every table Parity defines. */
  public static final List<TableIdentifier> ALL =
      List.of(BRONZE_EVENTS, BRONZE_LABELS, SILVER_FEATURES, GOLD_CARD_DAILY, GOLD_MERCHANT_DAILY);

  private static final Type TIMESTAMPTZ = Types.TimestampType.withZone();
  private static final Type STRING = Types.StringType.get();
  private static final Type DOUBLE = Types.DoubleType.get();
  private static final Type LONG = Types.LongType.get();
  private static final Type INT = Types.IntegerType.get();

  private static final String CARD_TOKEN_DOC =
      "keyed hash (HMAC) of the card id; never the raw card number";

  // Field ids are explicit and in order: Iceberg assigns fresh ids 1..n on create, so these are
  // the ids the table gets, and they never change afterwards (columns are only ever added).
  static final Schema BRONZE_EVENTS_SCHEMA =
      new Schema(
          NestedField.required(1, "event_id", STRING, "the source's unique event id"),
          NestedField.optional(2, "event_time", TIMESTAMPTZ, "when the payment happened"),
          NestedField.optional(3, "card_token", STRING, CARD_TOKEN_DOC),
          NestedField.optional(4, "merchant_id", STRING),
          NestedField.optional(5, "amount", DOUBLE),
          NestedField.optional(6, "currency", STRING),
          NestedField.optional(7, "merchant_category", STRING),
          NestedField.optional(8, "latitude", DOUBLE),
          NestedField.optional(9, "longitude", DOUBLE),
          NestedField.optional(10, "channel", STRING),
          NestedField.optional(
              11, "payload", STRING, "the raw record as received, card number tokenized"),
          NestedField.optional(12, "source", STRING, "where the record came from (topic, file)"),
          NestedField.optional(13, "source_partition", INT, "Kafka partition; -1 for files"),
          NestedField.optional(14, "source_offset", LONG, "Kafka offset, or line in a file"),
          NestedField.optional(
              15, "ingest_time", TIMESTAMPTZ, "Kafka record timestamp; null for files"),
          NestedField.optional(16, "ingested_at", TIMESTAMPTZ, "when Parity ingested the record"),
          NestedField.optional(17, "run_id", STRING, "the Parity run that wrote the row"));

  static final Schema BRONZE_LABELS_SCHEMA =
      new Schema(
          NestedField.required(1, "event_id", STRING, "the labelled event"),
          NestedField.optional(2, "fraud", Types.BooleanType.get()),
          NestedField.optional(3, "label_time", TIMESTAMPTZ, "when the label became known"),
          NestedField.optional(4, "source", STRING, "where the record came from (topic, file)"),
          NestedField.optional(5, "source_partition", INT, "Kafka partition; -1 for files"),
          NestedField.optional(6, "source_offset", LONG, "Kafka offset, or line in a file"),
          NestedField.optional(
              7, "ingest_time", TIMESTAMPTZ, "Kafka record timestamp; null for files"),
          NestedField.optional(8, "ingested_at", TIMESTAMPTZ, "when Parity ingested the record"),
          NestedField.optional(9, "run_id", STRING, "the Parity run that wrote the row"));

  /** The silver columns before the feature columns (which follow, one optional double each). */
  static final Schema SILVER_BASE_SCHEMA =
      new Schema(
          NestedField.required(1, "event_id", STRING),
          NestedField.optional(2, "card_token", STRING, CARD_TOKEN_DOC),
          NestedField.optional(3, "merchant_id", STRING),
          NestedField.required(4, "event_time", TIMESTAMPTZ),
          NestedField.required(5, "spec_fingerprint", STRING, "content hash of the feature spec"),
          NestedField.optional(6, "processing_time", TIMESTAMPTZ, "when the row was computed"));

  static final Schema GOLD_CARD_DAILY_SCHEMA = goldSchema("card_token");
  static final Schema GOLD_MERCHANT_DAILY_SCHEMA = goldSchema("merchant_id");

  private LakehouseTables() {}

  private static Schema goldSchema(String key) {
    return new Schema(
        NestedField.required(1, "day", Types.DateType.get(), "UTC day of event_time"),
        NestedField.required(2, key, STRING),
        NestedField.optional(3, "payments", LONG),
        NestedField.optional(4, "amount_sum", DOUBLE),
        NestedField.optional(5, "fraud_known", LONG, "frauds known at the as-of time"),
        NestedField.optional(6, "as_of", TIMESTAMPTZ, "labels known up to this time were used"));
  }

  /** The schema Parity defines for a table (for silver: without feature columns). */
  public static Schema schema(TableIdentifier id) {
    if (id.equals(BRONZE_EVENTS)) {
      return BRONZE_EVENTS_SCHEMA;
    } else if (id.equals(BRONZE_LABELS)) {
      return BRONZE_LABELS_SCHEMA;
    } else if (id.equals(SILVER_FEATURES)) {
      return SILVER_BASE_SCHEMA;
    } else if (id.equals(GOLD_CARD_DAILY)) {
      return GOLD_CARD_DAILY_SCHEMA;
    } else if (id.equals(GOLD_MERCHANT_DAILY)) {
      return GOLD_MERCHANT_DAILY_SCHEMA;
    }
    throw new IllegalArgumentException("Parity defines no table " + id + "; known tables: " + ALL);
  }

  /** The partition spec Parity defines for a table. */
  public static PartitionSpec spec(TableIdentifier id) {
    return spec(id, schema(id));
  }

  private static PartitionSpec spec(TableIdentifier id, Schema schema) {
    if (id.equals(BRONZE_EVENTS)) {
      return PartitionSpec.builderFor(schema).day("event_time").build();
    } else if (id.equals(BRONZE_LABELS)) {
      return PartitionSpec.builderFor(schema).day("label_time").build();
    } else if (id.equals(SILVER_FEATURES)) {
      return PartitionSpec.builderFor(schema)
          .identity("spec_fingerprint")
          .day("event_time")
          .build();
    } else if (id.equals(GOLD_CARD_DAILY) || id.equals(GOLD_MERCHANT_DAILY)) {
      return PartitionSpec.builderFor(schema).identity("day").build();
    }
    throw new IllegalArgumentException("Parity defines no table " + id + "; known tables: " + ALL);
  }

  /**
   * Creates the namespace and table if absent, else loads it. An existing table missing a column of
   * the definition gets it added (optional); a column with another type fails.
   */
  /** Table property of {@code bronze.events}: the id of the key its card tokens were made with. */
  public static final String CARD_TOKEN_KEY_PROPERTY = "parity.card-token-key-id";

  /**
   * Records the card-token key of {@code bronze.events} on first use and requires the same key
   * afterwards: tokens of two keys would split one card into two entities (wrong features, and a
   * warm-started speed layer would not find a card's history).
   *
   * @param keyId {@link io.parity.privacy.CardTokenizer#keyId()} of the key in use
   * @throws IllegalArgumentException when bronze holds tokens of another key
   */
  public static void requireCardTokenKey(Catalog catalog, String keyId) {
    Table events = ensure(catalog, BRONZE_EVENTS);
    String recorded = events.properties().get(CARD_TOKEN_KEY_PROPERTY);
    if (recorded == null) {
      events.updateProperties().set(CARD_TOKEN_KEY_PROPERTY, keyId).commit();
    } else if (!recorded.equals(keyId)) {
      throw new IllegalArgumentException(
          "bronze.events holds card tokens of key "
              + recorded
              + " but the token key given has id "
              + keyId
              + ": pass the key bronze was written with (--token-key-file)");
    }
  }

  public static Table ensure(Catalog catalog, TableIdentifier id) {
    Schema schema = schema(id);
    return ensureWith(catalog, id, schema, List.of());
  }

  /**
   * Creates or evolves {@code silver.features} so that it has one optional double column per
   * feature name. Columns are only ever added (never dropped or changed), so rows written before
   * read back with null for the new features.
   *
   * @throws IllegalArgumentException if a feature name is blank, repeated, or collides with a
   *     column that is not an optional double (e.g. {@code event_id})
   */
  public static Table ensureSilver(Catalog catalog, List<String> featureNames) {
    List<NestedField> features = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int nextId = SILVER_BASE_SCHEMA.highestFieldId() + 1;
    for (String name : featureNames) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a feature name is blank: " + featureNames);
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "feature name '" + name + "' is given twice (names are case-insensitive in SQL)");
      }
      NestedField base = findIgnoreCase(SILVER_BASE_SCHEMA, name);
      if (base != null) {
        throw new IllegalArgumentException(
            "feature name '"
                + name
                + "' collides with the silver column "
                + base.name()
                + " ("
                + base.type()
                + "): rename the feature");
      }
      features.add(NestedField.optional(nextId++, name, DOUBLE));
    }
    return ensureWith(catalog, SILVER_FEATURES, SILVER_BASE_SCHEMA, features);
  }

  private static Table ensureWith(
      Catalog catalog, TableIdentifier id, Schema base, List<NestedField> extra) {
    Table table;
    try {
      table = catalog.loadTable(id);
    } catch (NoSuchTableException e) {
      table = create(catalog, id, base, extra);
    }
    List<NestedField> wanted = new ArrayList<>(base.columns());
    wanted.addAll(extra);
    addMissingColumns(table, wanted);
    return table;
  }

  private static Table create(
      Catalog catalog, TableIdentifier id, Schema base, List<NestedField> extra) {
    List<NestedField> columns = new ArrayList<>(base.columns());
    columns.addAll(extra);
    Schema schema = new Schema(columns);
    ensureNamespace(catalog, id.namespace());
    try {
      return catalog
          .buildTable(id, schema)
          .withPartitionSpec(spec(id, schema))
          .withProperty(TableProperties.FORMAT_VERSION, "2")
          .withProperty(TableProperties.PARQUET_COMPRESSION, "zstd")
          .create();
    } catch (AlreadyExistsException e) {
      // Another writer created it between our load and create: use theirs.
      return catalog.loadTable(id);
    }
  }

  private static void ensureNamespace(Catalog catalog, Namespace namespace) {
    if (namespace.isEmpty() || !(catalog instanceof SupportsNamespaces namespaces)) {
      return;
    }
    if (!namespaces.namespaceExists(namespace)) {
      try {
        namespaces.createNamespace(namespace);
      } catch (AlreadyExistsException e) {
        // Created concurrently by another writer: exactly what we wanted.
        return;
      }
    }
  }

  private static void addMissingColumns(Table table, List<NestedField> wanted) {
    Schema current = table.schema();
    List<NestedField> missing = new ArrayList<>();
    for (NestedField field : wanted) {
      NestedField existing = findIgnoreCase(current, field.name());
      if (existing == null) {
        missing.add(field);
      } else if (!existing.name().equals(field.name())) {
        throw new IllegalArgumentException(
            "column '"
                + field.name()
                + "' collides with the existing column '"
                + existing.name()
                + "' of "
                + table.name()
                + " (names are case-insensitive in SQL)");
      } else if (!existing.type().equals(field.type())) {
        throw new IllegalArgumentException(
            "column "
                + field.name()
                + " of "
                + table.name()
                + " is "
                + existing.type()
                + ", expected "
                + field.type()
                + ": Parity never changes a column's type; use another name");
      }
    }
    if (!missing.isEmpty()) {
      UpdateSchema update = table.updateSchema();
      for (NestedField field : missing) {
        update.addColumn(field.name(), field.type(), field.doc());
      }
      update.commit();
      table.refresh();
    }
  }

  private static NestedField findIgnoreCase(Schema schema, String name) {
    return schema.caseInsensitiveFindField(name);
  }

  /** The names of a silver table's feature columns (every column after the base columns). */
  public static List<String> featureColumns(Schema silverSchema) {
    Set<String> base =
        SILVER_BASE_SCHEMA.columns().stream().map(NestedField::name).collect(Collectors.toSet());
    return silverSchema.columns().stream()
        .map(NestedField::name)
        .filter(n -> !base.contains(n))
        .toList();
  }

  /**
   * Converts plain Java values to an Iceberg record of {@code schema}. Timestamps with zone accept
   * {@code Long} epoch milliseconds, {@link Instant}, {@link OffsetDateTime}, {@link
   * ZonedDateTime}, {@link Date} or Joda instants (stored as UTC); dates accept {@link LocalDate},
   * an ISO string or an {@code Integer} epoch day; numbers widen but never lose information
   * silently. Absent columns are null.
   *
   * @throws IllegalArgumentException for an unknown column, a value of the wrong type, or a missing
   *     required column
   */
  public static Record toRecord(Schema schema, Map<String, Object> columns) {
    GenericRecord record = GenericRecord.create(schema);
    for (Map.Entry<String, Object> e : columns.entrySet()) {
      NestedField field = schema.asStruct().field(e.getKey());
      if (field == null) {
        throw new IllegalArgumentException(
            "unknown column '"
                + e.getKey()
                + "'; the table has "
                + schema.columns().stream().map(NestedField::name).toList());
      }
      record.setField(field.name(), convert(field, e.getValue()));
    }
    for (NestedField field : schema.columns()) {
      if (field.isRequired() && record.getField(field.name()) == null) {
        throw new IllegalArgumentException(
            "column " + field.name() + " is required but missing or null in " + columns.keySet());
      }
    }
    return record;
  }

  /** The columns of a record by name, in schema order, as Iceberg holds them. */
  public static Map<String, Object> toColumns(Record record) {
    Map<String, Object> columns = new LinkedHashMap<>();
    for (NestedField field : record.struct().fields()) {
      columns.put(field.name(), record.getField(field.name()));
    }
    return columns;
  }

  static Object convert(NestedField field, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return switch (field.type().typeId()) {
        case STRING -> {
          if (value instanceof CharSequence || value instanceof Enum<?>) {
            yield value instanceof Enum<?> en ? en.name() : value.toString();
          }
          throw wrongType(field, value);
        }
        case BOOLEAN -> {
          if (value instanceof Boolean) {
            yield value;
          }
          throw wrongType(field, value);
        }
        case INTEGER -> {
          if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            yield ((Number) value).intValue();
          } else if (value instanceof Long l) {
            yield Math.toIntExact(l);
          }
          throw wrongType(field, value);
        }
        case LONG -> {
          if (value instanceof Long
              || value instanceof Integer
              || value instanceof Short
              || value instanceof Byte) {
            yield ((Number) value).longValue();
          }
          throw wrongType(field, value);
        }
        case DOUBLE -> {
          if (value instanceof Double || value instanceof Float) {
            yield ((Number) value).doubleValue();
          } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            yield ((Number) value).doubleValue();
          } else if (value instanceof Long l) {
            double d = l.doubleValue();
            if ((long) d != l) {
              throw new IllegalArgumentException(
                  "column " + field.name() + ": " + l + " is not exactly representable as double");
            }
            yield d;
          }
          throw wrongType(field, value);
        }
        case FLOAT -> {
          if (value instanceof Float) {
            yield value;
          }
          throw wrongType(field, value);
        }
        case DATE -> {
          if (value instanceof LocalDate) {
            yield value;
          } else if (value instanceof Integer days) {
            yield LocalDate.ofEpochDay(days);
          } else if (value instanceof CharSequence s) {
            yield LocalDate.parse(s);
          }
          throw wrongType(field, value);
        }
        case TIMESTAMP -> {
          Types.TimestampType ts = (Types.TimestampType) field.type();
          if (ts.shouldAdjustToUTC()) {
            yield toInstant(field, value).atOffset(ZoneOffset.UTC);
          } else if (value instanceof LocalDateTime) {
            yield value;
          }
          yield LocalDateTime.ofInstant(toInstant(field, value), ZoneOffset.UTC);
        }
        default ->
            throw new IllegalArgumentException(
                "column " + field.name() + " has type " + field.type() + ", not supported here");
      };
    } catch (ArithmeticException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "column " + field.name() + " (" + field.type() + ") cannot take '" + value + "'", e);
    }
  }

  private static Instant toInstant(NestedField field, Object value) {
    if (value instanceof Long millis) {
      return Instant.ofEpochMilli(millis);
    } else if (value instanceof Instant i) {
      return i;
    } else if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    } else if (value instanceof ZonedDateTime z) {
      return z.toInstant();
    } else if (value instanceof Date d) {
      return d.toInstant();
    } else if (value instanceof ReadableInstant j) {
      return Instant.ofEpochMilli(j.getMillis());
    }
    throw wrongType(field, value);
  }

  private static IllegalArgumentException wrongType(NestedField field, Object value) {
    return new IllegalArgumentException(
        "column "
            + field.name()
            + " ("
            + field.type()
            + ") cannot take a "
            + value.getClass().getName()
            + ": "
            + value);
  }
}
