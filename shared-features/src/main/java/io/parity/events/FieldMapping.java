package io.parity.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A user-supplied description of a source: its format, which column holds each canonical field, how
 * its timestamps are written, and the currency rules. Loaded from a YAML (or JSON) file; every
 * problem is reported with the path of the offending entry.
 *
 * <p>The mapping is immutable and serializable so that a Beam transform can carry it.
 */
public final class FieldMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a source holds. */
  public enum Kind {
    PAYMENTS,
    LABELS
  }

  /** How records are encoded. */
  public enum Format {
    JSONL,
    CSV,
    PARQUET
  }

  private final Kind kind;
  private final Format format;
  private final Map<Field, String> columns;
  private final TimeFormat.Kind timeKind;
  private final String timePattern;
  private final String timeZone;
  private final String defaultCurrency;
  private final Set<String> currencies;
  private final Duration labelDelay;
  private final char csvDelimiter;
  private final List<String> csvHeader;
  private transient TimeFormat timeFormat;

  private FieldMapping(Builder b) {
    this.kind = b.kind;
    this.format = b.format;
    this.columns = Collections.unmodifiableMap(new EnumMap<>(b.columns));
    this.timeKind = b.timeKind;
    this.timePattern = b.timePattern;
    this.timeZone = b.timeZone;
    this.defaultCurrency = b.defaultCurrency;
    this.currencies = Collections.unmodifiableSet(new LinkedHashSet<>(b.currencies));
    this.labelDelay = b.labelDelay;
    this.csvDelimiter = b.csvDelimiter;
    this.csvHeader = b.csvHeader == null ? null : List.copyOf(b.csvHeader);
  }

  public Kind kind() {
    return kind;
  }

  public Format format() {
    return format;
  }

  /** Canonical field to source column, for the mapped fields only. */
  public Map<Field, String> columns() {
    return columns;
  }

  public String column(Field field) {
    return columns.get(field);
  }

  public boolean maps(Field field) {
    return columns.containsKey(field);
  }

  public TimeFormat timeFormat() {
    if (timeFormat == null) {
      ZoneId zone = ZoneId.of(timeZone);
      timeFormat =
          switch (timeKind) {
            case ISO_8601 -> TimeFormat.iso8601(zone);
            case EPOCH_SECONDS -> TimeFormat.epochSeconds();
            case EPOCH_MILLIS -> TimeFormat.epochMillis();
            case PATTERN -> TimeFormat.pattern(timePattern, zone);
          };
    }
    return timeFormat;
  }

  /** The currency used when a payment has none. */
  public String defaultCurrency() {
    return defaultCurrency;
  }

  /** Accepted currencies; empty means every ISO-4217 code. */
  public Set<String> currencies() {
    return currencies;
  }

  /**
   * For a payments source with an inline label column but no label time: how long after the payment
   * its label is taken to be known. {@code null} otherwise.
   */
  public Duration labelDelay() {
    return labelDelay;
  }

  public char csvDelimiter() {
    return csvDelimiter;
  }

  /** CSV column names when records carry no header line (e.g. CSV lines in Kafka), else null. */
  public List<String> csvHeader() {
    return csvHeader;
  }

  /** Loads and validates a mapping file (YAML or JSON). */
  public static FieldMapping load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read mapping file " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mapping file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses and validates a mapping from YAML (or JSON) text. */
  public static FieldMapping parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage() + location(e));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a mapping with keys kind, format, fields, time");
    }
    Builder b = new Builder();
    List<String> errors = new ArrayList<>();
    Set<String> known =
        Set.of(
            "kind",
            "format",
            "fields",
            "time",
            "default_currency",
            "currencies",
            "label_delay",
            "csv");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        errors.add(key + ": unknown key; expected one of " + String.join(", ", known));
      }
    }
    b.kind = enumValue(root, "kind", Kind.class, Kind.PAYMENTS, errors);
    b.format = enumValue(root, "format", Format.class, Format.JSONL, errors);

    JsonNode fields = root.get("fields");
    if (fields == null || !fields.isObject()) {
      errors.add("fields: required: a map from canonical field to source column");
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        var field = Field.fromKey(e.getKey());
        if (field.isEmpty()) {
          errors.add(
              "fields."
                  + e.getKey()
                  + ": unknown field; expected one of "
                  + Field.keys(EnumSet.allOf(Field.class)));
        } else if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          errors.add("fields." + e.getKey() + ": expected a column name");
        } else {
          b.columns.put(field.get(), e.getValue().asText());
        }
      }
    }

    JsonNode time = root.get("time");
    if (time != null && !time.isObject()) {
      errors.add("time: expected keys format, pattern, zone");
    } else if (time != null) {
      String fmt = text(time, "format");
      if (fmt != null) {
        switch (fmt.toLowerCase(Locale.ROOT)) {
          case "iso-8601", "iso8601" -> b.timeKind = TimeFormat.Kind.ISO_8601;
          case "epoch-seconds" -> b.timeKind = TimeFormat.Kind.EPOCH_SECONDS;
          case "epoch-millis" -> b.timeKind = TimeFormat.Kind.EPOCH_MILLIS;
          case "pattern" -> b.timeKind = TimeFormat.Kind.PATTERN;
          default ->
              errors.add(
                  "time.format: '"
                      + fmt
                      + "' is not one of iso-8601, epoch-seconds, epoch-millis, pattern");
        }
      }
      b.timePattern = text(time, "pattern");
      if (text(time, "zone") != null) {
        b.timeZone = text(time, "zone");
      }
    }
    try {
      ZoneId.of(b.timeZone);
    } catch (DateTimeException e) {
      errors.add("time.zone: '" + b.timeZone + "' is not a time zone (e.g. UTC, Europe/Paris)");
    }
    if (b.timeKind == TimeFormat.Kind.PATTERN) {
      if (b.timePattern == null) {
        errors.add("time.pattern: required when time.format is pattern");
      } else {
        try {
          TimeFormat.pattern(b.timePattern, ZoneId.of("UTC"));
        } catch (IllegalArgumentException e) {
          errors.add("time.pattern: " + e.getMessage());
        }
      }
    } else if (b.timePattern != null) {
      errors.add("time.pattern: only allowed with time.format: pattern");
    }

    String dc = text(root, "default_currency");
    if (dc != null) {
      b.defaultCurrency = dc;
    }
    if (!isCurrency(b.defaultCurrency)) {
      errors.add("default_currency: '" + b.defaultCurrency + "' is not an ISO-4217 code");
    }
    JsonNode cs = root.get("currencies");
    if (cs != null) {
      if (!cs.isArray()) {
        errors.add("currencies: expected a list of ISO-4217 codes");
      } else {
        for (JsonNode c : cs) {
          if (!isCurrency(c.asText())) {
            errors.add("currencies: '" + c.asText() + "' is not an ISO-4217 code");
          }
          b.currencies.add(c.asText());
        }
        if (!b.currencies.isEmpty() && !b.currencies.contains(b.defaultCurrency)) {
          errors.add(
              "default_currency: '" + b.defaultCurrency + "' is not in the currencies allow-list");
        }
      }
    }
    String delay = text(root, "label_delay");
    if (delay != null) {
      try {
        b.labelDelay = Duration.parse(delay);
      } catch (DateTimeParseException e) {
        errors.add("label_delay: '" + delay + "' is not an ISO-8601 duration (e.g. P7D, PT12H)");
      }
    }
    JsonNode csv = root.get("csv");
    if (csv != null) {
      String delim = text(csv, "delimiter");
      if (delim != null) {
        if (delim.length() != 1) {
          errors.add("csv.delimiter: expected one character, got '" + delim + "'");
        } else {
          b.csvDelimiter = delim.charAt(0);
        }
      }
      JsonNode header = csv.get("header");
      if (header != null) {
        if (!header.isArray()) {
          errors.add("csv.header: expected a list of column names");
        } else {
          b.csvHeader = new ArrayList<>();
          header.forEach(h -> b.csvHeader.add(h.asText()));
        }
      }
    }
    if (errors.isEmpty()) {
      b.checkFieldsForKind(errors);
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return new FieldMapping(b);
  }

  static boolean isCurrency(String code) {
    if (code == null || code.length() != 3 || !code.equals(code.toUpperCase(Locale.ROOT))) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static <E extends Enum<E>> E enumValue(
      JsonNode root, String key, Class<E> type, E dflt, List<String> errors) {
    String v = text(root, key);
    if (v == null) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    errors.add(key + ": '" + v + "' is not one of " + String.join(", ", names));
    return dflt;
  }

  /** Builds a mapping in code (tests, and sources whose mapping is fixed). */
  public static Builder builder(Kind kind, Format format) {
    Builder b = new Builder();
    b.kind = kind;
    b.format = format;
    return b;
  }

  /** Mutable builder; {@link #build()} validates like {@link #parse(String)}. */
  public static final class Builder {
    private Kind kind = Kind.PAYMENTS;
    private Format format = Format.JSONL;
    private final Map<Field, String> columns = new EnumMap<>(Field.class);
    private TimeFormat.Kind timeKind = TimeFormat.Kind.ISO_8601;
    private String timePattern;
    private String timeZone = "UTC";
    private String defaultCurrency = "EUR";
    private final Set<String> currencies = new LinkedHashSet<>();
    private Duration labelDelay;
    private char csvDelimiter = ',';
    private List<String> csvHeader;

    private Builder() {}

    public Builder column(Field field, String column) {
      columns.put(field, column);
      return this;
    }

    /** Maps every given field to the column of the same canonical name. */
    public Builder canonicalColumns(Field... fields) {
      for (Field f : fields) {
        columns.put(f, f.key());
      }
      return this;
    }

    public Builder time(TimeFormat.Kind kind, String pattern, String zone) {
      this.timeKind = kind;
      this.timePattern = pattern;
      this.timeZone = zone;
      return this;
    }

    public Builder defaultCurrency(String code) {
      this.defaultCurrency = code;
      return this;
    }

    public Builder currencies(String... codes) {
      currencies.addAll(List.of(codes));
      return this;
    }

    public Builder labelDelay(Duration delay) {
      this.labelDelay = delay;
      return this;
    }

    public Builder csvHeader(List<String> header) {
      this.csvHeader = header;
      return this;
    }

    public FieldMapping build() {
      List<String> errors = new ArrayList<>();
      checkFieldsForKind(errors);
      if (!isCurrency(defaultCurrency)) {
        errors.add("default_currency: '" + defaultCurrency + "' is not an ISO-4217 code");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", errors));
      }
      return new FieldMapping(this);
    }

    private void checkFieldsForKind(List<String> errors) {
      Set<Field> required = kind == Kind.PAYMENTS ? Field.PAYMENT_REQUIRED : Field.LABEL_REQUIRED;
      for (Field f : required) {
        if (!columns.containsKey(f)) {
          errors.add(
              "fields."
                  + f.key()
                  + ": required for kind "
                  + kind.name().toLowerCase(Locale.ROOT)
                  + " (required: "
                  + Field.keys(required)
                  + ")");
        }
      }
      if (kind == Kind.LABELS) {
        for (Field f : columns.keySet()) {
          if (!Field.LABEL_ALLOWED.contains(f)) {
            errors.add(
                "fields."
                    + f.key()
                    + ": not a field of kind labels ("
                    + Field.keys(Field.LABEL_ALLOWED)
                    + ")");
          }
        }
      } else {
        if (columns.containsKey(Field.LATITUDE) != columns.containsKey(Field.LONGITUDE)) {
          errors.add("fields.latitude/longitude: map both or neither");
        }
        if (columns.containsKey(Field.LABEL_TIME) && !columns.containsKey(Field.LABEL)) {
          errors.add("fields.label_time: only allowed together with fields.label");
        }
        if (columns.containsKey(Field.LABEL)
            && !columns.containsKey(Field.LABEL_TIME)
            && labelDelay == null) {
          errors.add(
              "fields.label: an inline label needs fields.label_time or label_delay (when the"
                  + " label became known; using the event time would leak the future into training)");
        }
      }
      if (labelDelay != null && (labelDelay.isNegative())) {
        errors.add("label_delay: must not be negative");
      }
    }
  }
}
