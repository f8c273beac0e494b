package io.parity.features;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.parity.events.Field;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureDefinition.CalendarKind;
import io.parity.features.FeatureDefinition.GeoKind;
import io.parity.features.FeatureDefinition.LabelFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The declarative form of a {@link FeatureSpec}: a YAML (or JSON) file that maps 1:1 onto it. The
 * format is documented in {@code docs/specs.md}.
 *
 * <p>Loading reports every problem at once, each with its line and path (e.g. {@code line 12,
 * features[3] (terminal_fraud_rate_7d): unknown function 'fraud_ratio'; expected fraud_count,
 * fraud_rate}), including the ones {@link FeatureSpec}'s own validation finds.
 */
public final class SpecFile {

  /** The zone of calendar features when {@code time_zone} is omitted. */
  public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");

  /** {@code allowed_lateness} when omitted. */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ZERO;

  /** {@code max_lateness} when omitted. */
  public static final Duration DEFAULT_MAX_LATENESS = Duration.ofDays(1);

  /** A feature's {@code delay} when omitted. */
  public static final Duration DEFAULT_DELAY = Duration.ZERO;

  /** {@code night_hours} when omitted: night is 22:00 to 06:00. */
  public static final int DEFAULT_NIGHT_START_HOUR = 22;

  /** See {@link #DEFAULT_NIGHT_START_HOUR}. */
  public static final int DEFAULT_NIGHT_END_HOUR = 6;

  private static final List<String> TOP_KEYS =
      List.of(
          "name",
          "time_zone",
          "allowed_lateness",
          "max_lateness",
          "label_apply_delay",
          "entities",
          "features");

  /** The keys each {@code type:} accepts, in the order {@link #write} emits them. */
  private static final Map<String, List<String>> KEYS_BY_TYPE = new LinkedHashMap<>();

  static {
    KEYS_BY_TYPE.put(
        "aggregate", List.of("name", "type", "entity", "function", "field", "window", "delay"));
    KEYS_BY_TYPE.put(
        "label_aggregate", List.of("name", "type", "entity", "function", "window", "delay"));
    KEYS_BY_TYPE.put("time_since_last", List.of("name", "type", "entity"));
    KEYS_BY_TYPE.put("amount_to_mean", List.of("name", "type", "entity", "window", "delay"));
    KEYS_BY_TYPE.put("calendar", List.of("name", "type", "calendar", "night_hours"));
    KEYS_BY_TYPE.put("geo", List.of("name", "type", "entity", "geo"));
    KEYS_BY_TYPE.put("categorical", List.of("name", "type", "field", "vocabulary"));
  }

  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonFactory JSON = new JsonFactory();

  private SpecFile() {}

  /** One problem of a spec file: its line (0 when unknown), the offending path, what is wrong. */
  public record Problem(int line, String path, String message) implements Serializable {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      if (line > 0) {
        s.append("line ").append(line).append(path.isEmpty() ? ": " : ", ");
      }
      if (!path.isEmpty()) {
        s.append(path).append(": ");
      }
      return s.append(message).toString();
    }
  }

  /** A spec file with problems; {@link #problems()} lists every one of them in line order. */
  public static final class InvalidSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    InvalidSpecException(String source, List<Problem> problems) {
      super(
          (source == null ? "invalid spec" : "invalid spec file " + source)
              + ":\n  "
              + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  /** Loads a spec file (YAML, or JSON when the text starts with '{'). */
  public static FeatureSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such spec file " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spec file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Loads a spec from the class path, e.g. {@code specs/fraud.yaml} (shipped in this module). */
  public static FeatureSpec loadResource(String name) {
    try (InputStream in = SpecFile.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no spec resource " + name + " on the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spec resource " + name, e);
    }
  }

  /** Parses a spec from YAML (or JSON) text. */
  public static FeatureSpec parse(String text) {
    return parse(text, null);
  }

  private static FeatureSpec parse(String text, String source) {
    List<Problem> problems = new ArrayList<>();
    Node root = readTree(text, problems);
    FeatureSpec spec = root == null ? null : new Loader(problems).load(root);
    if (!problems.isEmpty()) {
      // Line order reads like a compiler's output; problems without a line go last.
      List<Problem> sorted = new ArrayList<>(problems);
      sorted.sort(Comparator.comparingInt(p -> p.line() > 0 ? p.line() : Integer.MAX_VALUE));
      throw new InvalidSpecException(source, sorted);
    }
    return spec;
  }

  // ---------------------------------------------------------------------------------------------
  // A tree of the file that, unlike Jackson's JsonNode, remembers the line of every value and key.

  private sealed interface Node permits Scalar, Mapping, Sequence {
    int line();
  }

  private record Scalar(JsonToken token, String text, boolean alias, int line) implements Node {}

  private record Entry(String key, int keyLine, Node value) {}

  private record Mapping(Map<String, Entry> entries, List<Entry> duplicates, int line)
      implements Node {
    Entry get(String key) {
      return entries.get(key);
    }
  }

  private record Sequence(List<Node> items, int line) implements Node {}

  private static Node readTree(String text, List<Problem> problems) {
    String trimmed = text.strip();
    boolean json = trimmed.startsWith("{");
    String format = json ? "JSON" : "YAML";
    try (JsonParser p = json ? JSON.createParser(text) : YAML.createParser(text)) {
      if (p.nextToken() == null) {
        problems.add(
            new Problem(1, "", "the file is empty; a spec needs name, entities, features"));
        return null;
      }
      Node root = readValue(p);
      if (p.nextToken() != null) {
        problems.add(
            new Problem(line(p), "", "only one " + format + " document is allowed in a spec file"));
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      // SnakeYAML interleaves what it read and what it found with indented location lines and
      // snippets: keep the former.
      String why =
          e.getOriginalMessage()
              .lines()
              .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
              .collect(Collectors.joining(": "));
      problems.add(
          new Problem(at == null ? 0 : at.getLineNr(), "", "not valid " + format + ": " + why));
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the spec text", e);
    }
  }

  private static Node readValue(JsonParser p) throws IOException {
    int line = line(p);
    switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Entry> duplicates = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = line(p);
          p.nextToken();
          Entry e = new Entry(key, keyLine, readValue(p));
          if (entries.putIfAbsent(key, e) != null) {
            duplicates.add(e);
          }
        }
        return new Mapping(entries, duplicates, line);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p));
        }
        return new Sequence(items, line);
      }
      default -> {
        boolean alias = p instanceof YAMLParser y && y.isCurrentAlias();
        return new Scalar(p.currentToken(), p.getText(), alias, line);
      }
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  // ---------------------------------------------------------------------------------------------
  // From the tree to a FeatureSpec, collecting every problem.

  /** A feature that parsed, and where it came from (to map FeatureSpec's errors back to lines). */
  private record Parsed(FeatureDefinition definition, int index, Mapping item, String path) {}

  private static final class Loader {
    private final List<Problem> problems;
    // With no usable entities section, every feature's entity would also be "unknown": noise.
    private boolean entitiesBroken;

    Loader(List<Problem> problems) {
      this.problems = problems;
    }

    private void error(int line, String path, String message) {
      problems.add(new Problem(line, path, message));
    }

    FeatureSpec load(Node rootNode) {
      if (!(rootNode instanceof Mapping root)) {
        error(rootNode.line(), "", "a spec is a mapping with keys " + String.join(", ", TOP_KEYS));
        return null;
      }
      int before = problems.size();
      checkKeys(root, "", TOP_KEYS, "allowed: ");

      String name = "";
      Entry nameEntry = root.get("name");
      if (nameEntry == null) {
        error(root.line(), "name", "missing; a label for people, e.g. name: fraud-v1");
      } else {
        String text = text(nameEntry, "name", "", "a label such as fraud-v1");
        name = text == null ? "" : text;
      }
      ZoneId zone = DEFAULT_TIME_ZONE;
      Entry zoneEntry = root.get("time_zone");
      if (zoneEntry != null) {
        String text = text(zoneEntry, "time_zone", "", "a time zone such as UTC, Europe/Paris");
        if (text != null) {
          try {
            zone = ZoneId.of(text);
          } catch (DateTimeException e) {
            error(
                zoneEntry.value().line(),
                "time_zone",
                "unknown time zone '" + text + "' (e.g. UTC, Europe/Paris, +01:00)");
          }
        }
      }
      Duration allowed = topDuration(root, "allowed_lateness", DEFAULT_ALLOWED_LATENESS);
      Duration max = topDuration(root, "max_lateness", DEFAULT_MAX_LATENESS);
      Duration labelDelay = topDuration(root, "label_apply_delay", Duration.ZERO);
      Map<String, Field> entities = entities(root);
      List<Parsed> parsed = features(root, entities.keySet());
      boolean structural = problems.size() > before;

      List<FeatureDefinition> definitions = parsed.stream().map(Parsed::definition).toList();
      try {
        FeatureSpec spec =
            new FeatureSpec(name, zone, allowed, max, entities, definitions, labelDelay);
        return structural ? null : spec;
      } catch (IllegalArgumentException e) {
        mapSpecErrors(e.getMessage(), root, parsed);
        return null;
      }
    }

    /** Reports keys of {@code m} that are not in {@code allowed}, and duplicate keys. */
    private void checkKeys(Mapping m, String path, List<String> allowed, String hint) {
      for (Entry e : m.entries().values()) {
        if (!allowed.contains(e.key())) {
          if (path.isEmpty()) {
            error(e.keyLine(), e.key(), "unknown key; " + hint + String.join(", ", allowed));
          } else {
            error(
                e.keyLine(),
                path,
                "unknown key '" + e.key() + "'; " + hint + String.join(", ", allowed));
          }
        }
      }
      for (Entry d : m.duplicates()) {
        error(
            d.keyLine(),
            path.isEmpty() ? d.key() : path,
            path.isEmpty() ? "duplicate key" : "duplicate key '" + d.key() + "'");
      }
    }

    /**
     * The text of a scalar entry, or null after reporting why not. {@code label} prefixes the
     * message inside a feature (the path names the feature there, not the key).
     */
    private String text(Entry e, String path, String label, String expected) {
      Node v = e.value();
      String prefix = label.isEmpty() ? "" : label + ": ";
      if (v instanceof Scalar s && s.alias()) {
        error(
            v.line(),
            path,
            prefix + "aliases (*" + s.text() + ") are not supported; write the value out");
        return null;
      }
      if (!(v instanceof Scalar s) || s.token() == JsonToken.VALUE_NULL) {
        String got =
            v instanceof Mapping ? "a mapping" : v instanceof Sequence ? "a list" : "nothing";
        error(v.line(), path, prefix + "expected " + expected + ", got " + got);
        return null;
      }
      return s.text();
    }

    private Duration topDuration(Mapping root, String key, Duration dflt) {
      Entry e = root.get(key);
      if (e == null) {
        return dflt;
      }
      Duration d = duration(e, key, "");
      return d == null ? dflt : d;
    }

    private Duration duration(Entry e, String path, String label) {
      String text = text(e, path, label, "an ISO-8601 duration such as PT1H or P7D");
      if (text == null) {
        return null;
      }
      String prefix = label.isEmpty() ? "" : label + " ";
      try {
        Duration d = Duration.parse(text);
        // FeatureSpec checks windows in nanoseconds: reject what cannot be represented there.
        d.toNanos();
        return d;
      } catch (DateTimeParseException e2) {
        error(
            e.value().line(),
            path,
            prefix
                + "'"
                + text
                + "' is not an ISO-8601 duration; use days, hours, minutes, seconds such as"
                + " PT30M, PT1H, P7D, P1DT12H (no weeks, months or years)");
      } catch (ArithmeticException e2) {
        error(e.value().line(), path, prefix + "'" + text + "' is too long (at most 292 years)");
      }
      return null;
    }

    private Map<String, Field> entities(Mapping root) {
      Map<String, Field> entities = new LinkedHashMap<>();
      Entry e = root.get("entities");
      String expected =
          FeatureSpec.ENTITY_FIELDS.stream()
              .sorted()
              .map(Field::key)
              .collect(Collectors.joining(", "));
      if (e == null) {
        entitiesBroken = true;
        error(
            root.line(),
            "entities",
            "missing; map each entity to an event field, e.g. card: card_id");
        return entities;
      }
      if (!(e.value() instanceof Mapping m)) {
        entitiesBroken = true;
        error(e.value().line(), "entities", "expected a mapping of entity name to event field");
        return entities;
      }
      for (Entry d : m.duplicates()) {
        error(d.keyLine(), "entities." + d.key(), "duplicate entity");
      }
      for (Entry entity : m.entries().values()) {
        String path = "entities." + entity.key();
        String key = text(entity, path, "", "an event field (" + expected + ")");
        Field field = key == null ? null : fieldOf(key);
        if (key != null && field == null) {
          error(entity.value().line(), path, "unknown field '" + key + "'; expected " + expected);
        }
        // A placeholder keeps the entity declared, so its features are not also reported.
        entities.put(entity.key(), field == null ? Field.CARD_ID : field);
      }
      return entities;
    }

    private List<Parsed> features(Mapping root, Set<String> entities) {
      List<Parsed> parsed = new ArrayList<>();
      Entry e = root.get("features");
      if (e == null) {
        error(root.line(), "features", "missing; a list of feature definitions");
        return parsed;
      }
      if (!(e.value() instanceof Sequence list)) {
        error(e.value().line(), "features", "expected a list of feature definitions");
        return parsed;
      }
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        String path = "features[" + i + "]";
        if (!(item instanceof Mapping m)) {
          error(
              item.line(),
              path,
              "expected a mapping such as {name: card_count_1h, type: aggregate, ...}");
          continue;
        }
        Entry nameEntry = m.get("name");
        if (nameEntry != null
            && nameEntry.value() instanceof Scalar s
            && !s.alias()
            && s.token() != JsonToken.VALUE_NULL) {
          path += " (" + s.text() + ")";
        }
        FeatureDefinition f = new FeatureReader(m, path, entities).read();
        if (f != null) {
          parsed.add(new Parsed(f, i, m, path));
        }
      }
      return parsed;
    }

    /** Reads one feature item; null (after reporting) when it has a problem. */
    private final class FeatureReader {
      private final Mapping m;
      private final String path;
      private final Set<String> entities;
      private boolean ok = true;

      FeatureReader(Mapping m, String path, Set<String> entities) {
        this.m = m;
        this.path = path;
        this.entities = entities;
      }

      private void fail(int line, String message) {
        ok = false;
        error(line, path, message);
      }

      FeatureDefinition read() {
        Entry typeEntry = m.get("type");
        String types = String.join(", ", KEYS_BY_TYPE.keySet());
        if (typeEntry == null) {
          fail(m.line(), "missing type; expected " + types);
          checkCommonKeys();
          return null;
        }
        String type = text(typeEntry, path, "type", types);
        if (type == null) {
          ok = false;
          return null;
        }
        List<String> keys = KEYS_BY_TYPE.get(type);
        if (keys == null) {
          fail(typeEntry.value().line(), "unknown type '" + type + "'; expected " + types);
          checkCommonKeys();
          return null;
        }
        // Unknown keys are reported but do not stop the definition: FeatureSpec still checks it.
        checkKeys(m, path, keys, "allowed for " + type + ": ");

        String name = required("name", "the column name, e.g. card_count_1h");
        FeatureDefinition f =
            switch (type) {
              case "aggregate" -> {
                String entity = entity();
                AggregateFunction fn = enumValue("function", AggregateFunction.class, true);
                Field field = optionalField();
                Duration window = duration("window", null);
                Duration delay = duration("delay", DEFAULT_DELAY);
                yield ok
                    ? new FeatureDefinition.Aggregate(name, entity, fn, field, window, delay)
                    : null;
              }
              case "label_aggregate" -> {
                String entity = entity();
                LabelFunction fn = enumValue("function", LabelFunction.class, true);
                Duration window = duration("window", null);
                Duration delay = duration("delay", DEFAULT_DELAY);
                yield ok
                    ? new FeatureDefinition.LabelAggregate(name, entity, fn, window, delay)
                    : null;
              }
              case "time_since_last" -> {
                String entity = entity();
                yield ok ? new FeatureDefinition.TimeSinceLast(name, entity) : null;
              }
              case "amount_to_mean" -> {
                String entity = entity();
                Duration window = duration("window", null);
                Duration delay = duration("delay", DEFAULT_DELAY);
                yield ok ? new FeatureDefinition.AmountToMean(name, entity, window, delay) : null;
              }
              case "calendar" -> {
                CalendarKind kind = enumValue("calendar", CalendarKind.class, true);
                int[] night = nightHours();
                yield ok ? new FeatureDefinition.Calendar(name, kind, night[0], night[1]) : null;
              }
              case "geo" -> {
                String entity = entity();
                GeoKind kind = enumValue("geo", GeoKind.class, true);
                yield ok ? new FeatureDefinition.Geo(name, entity, kind) : null;
              }
              case "categorical" -> {
                Field field = requiredField();
                List<String> vocabulary = vocabulary();
                yield ok ? new FeatureDefinition.Categorical(name, field, vocabulary) : null;
              }
              default -> throw new IllegalStateException("no reader for type " + type);
            };
        return ok ? f : null;
      }

      /** Without a known type, still report keys that no type accepts. */
      private void checkCommonKeys() {
        List<String> all = KEYS_BY_TYPE.values().stream().flatMap(List::stream).distinct().toList();
        checkKeys(m, path, all, "allowed: ");
      }

      private String required(String key, String expected) {
        Entry e = m.get(key);
        if (e == null) {
          fail(m.line(), "missing " + key + " (" + expected + ")");
          return null;
        }
        String text = text(e, path, key, expected);
        ok &= text != null;
        return text;
      }

      private String entity() {
        // An undeclared entity is FeatureSpec's to report, so code and files say the same.
        return required("entity", "one of the declared entities " + entities);
      }

      private <E extends Enum<E>> E enumValue(String key, Class<E> type, boolean required) {
        String expected =
            Arrays.stream(type.getEnumConstants())
                .map(SpecFile::snake)
                .collect(Collectors.joining(", "));
        Entry e = m.get(key);
        if (e == null) {
          if (required) {
            fail(m.line(), "missing " + key + "; expected " + expected);
          }
          return null;
        }
        String text = text(e, path, key, expected);
        if (text == null) {
          ok = false;
          return null;
        }
        for (E c : type.getEnumConstants()) {
          if (snake(c).equals(text)) {
            return c;
          }
        }
        fail(e.value().line(), "unknown " + key + " '" + text + "'; expected " + expected);
        return null;
      }

      private Field optionalField() {
        Entry e = m.get("field");
        return e == null ? null : field(e);
      }

      private Field requiredField() {
        Entry e = m.get("field");
        if (e == null) {
          fail(m.line(), "missing field; expected " + allFields());
          return null;
        }
        return field(e);
      }

      private Field field(Entry e) {
        String text = text(e, path, "field", "an event field (" + allFields() + ")");
        if (text == null) {
          ok = false;
          return null;
        }
        Field f = fieldOf(text);
        if (f == null) {
          fail(e.value().line(), "unknown field '" + text + "'; expected " + allFields());
        }
        return f;
      }

      private Duration duration(String key, Duration dflt) {
        Entry e = m.get(key);
        if (e == null) {
          if (dflt == null) {
            fail(m.line(), "missing " + key + " (an ISO-8601 duration such as PT1H or P7D)");
          }
          return dflt;
        }
        Duration d = Loader.this.duration(e, path, key);
        ok &= d != null;
        return d;
      }

      private int[] nightHours() {
        Entry e = m.get("night_hours");
        int[] hours = {DEFAULT_NIGHT_START_HOUR, DEFAULT_NIGHT_END_HOUR};
        if (e == null) {
          return hours;
        }
        String expected = "night_hours must be [start, end] in whole hours, e.g. [22, 6]";
        if (!(e.value() instanceof Sequence s) || s.items().size() != 2) {
          fail(e.value().line(), expected);
          return hours;
        }
        for (int i = 0; i < 2; i++) {
          Node n = s.items().get(i);
          if (!(n instanceof Scalar v) || v.alias() || v.token() != JsonToken.VALUE_NUMBER_INT) {
            fail(n.line(), expected);
            return hours;
          }
          try {
            hours[i] = Integer.parseInt(v.text());
          } catch (NumberFormatException tooBig) {
            // Out of int range: FeatureSpec would reject it as outside 0..23 anyway.
            fail(n.line(), "night hours must be within 0..23");
            return hours;
          }
        }
        return hours;
      }

      private List<String> vocabulary() {
        Entry e = m.get("vocabulary");
        String expected = "a list of values, e.g. [grocery, fuel]";
        if (e == null) {
          fail(m.line(), "missing vocabulary (" + expected + ")");
          return null;
        }
        if (!(e.value() instanceof Sequence s)) {
          fail(e.value().line(), "vocabulary must be " + expected);
          return null;
        }
        List<String> values = new ArrayList<>();
        for (Node n : s.items()) {
          // The text as written: `yes`, `1.50` or `007` stay the strings they look like.
          if (!(n instanceof Scalar v) || v.alias() || v.token() == JsonToken.VALUE_NULL) {
            fail(n.line(), "vocabulary values must be plain values, e.g. [grocery, fuel]");
            return null;
          }
          values.add(v.text());
        }
        return values;
      }
    }

    // FeatureSpec joins its messages with "; ", which also occurs inside one message.
    private static final Pattern SPEC_ERROR_START =
        Pattern.compile(
            "; (?=features\\[\\d+\\] |features: |entities\\.|allowed_lateness |max_lateness"
                + " |label_apply_delay )");
    private static final Pattern FEATURE_ERROR =
        Pattern.compile("features\\[(\\d+)\\] \\((.*?)\\): (.*)", Pattern.DOTALL);
    private static final Pattern ENTITY_ERROR =
        Pattern.compile("entities\\.(.+?): (.*)", Pattern.DOTALL);
    private static final Pattern TOP_ERROR =
        Pattern.compile(
            "(allowed_lateness|max_lateness|label_apply_delay|features):? (.*)", Pattern.DOTALL);

    /** Maps FeatureSpec's validation errors back to the file's indexes and lines. */
    private void mapSpecErrors(String message, Mapping root, List<Parsed> parsed) {
      for (String part : SPEC_ERROR_START.split(message)) {
        Matcher f = FEATURE_ERROR.matcher(part);
        Matcher en = ENTITY_ERROR.matcher(part);
        Matcher top = TOP_ERROR.matcher(part);
        if (f.matches()) {
          Parsed p = parsed.get(Integer.parseInt(f.group(1)));
          if (entitiesBroken && f.group(3).startsWith("unknown entity")) {
            continue;
          }
          error(lineOfKeyIn(p.item(), f.group(3)), p.path(), f.group(3));
        } else if (en.matches()) {
          Entry entities = root.get("entities");
          Entry entity =
              entities != null && entities.value() instanceof Mapping m ? m.get(en.group(1)) : null;
          int line = entity != null ? entity.value().line() : root.line();
          error(line, "entities." + en.group(1), en.group(2));
        } else if (top.matches()) {
          Entry e = root.get(top.group(1));
          // "at least one feature" is news only for an empty list; else its items were reported.
          boolean reported =
              top.group(1).equals("features")
                  && !(e != null && e.value() instanceof Sequence s && s.items().isEmpty());
          if (!reported) {
            error(e == null ? root.line() : e.value().line(), top.group(1), top.group(2));
          }
        } else {
          error(0, "", part);
        }
      }
    }

    /**
     * The line of the key a FeatureSpec message is about (first one it mentions), else the item's.
     */
    private static int lineOfKeyIn(Mapping item, String message) {
      int best = Integer.MAX_VALUE;
      int line = item.line();
      for (Entry e : item.entries().values()) {
        String word = e.key().equals("night_hours") ? "night hours" : e.key();
        Matcher mention = Pattern.compile("\\b" + Pattern.quote(word) + "\\b").matcher(message);
        if (mention.find() && mention.start() < best) {
          best = mention.start();
          line = e.keyLine();
        }
      }
      return line;
    }
  }

  private static Field fieldOf(String key) {
    for (Field f : Field.values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    return null;
  }

  private static String allFields() {
    return Arrays.stream(Field.values()).map(Field::key).collect(Collectors.joining(", "));
  }

  private static String snake(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing.

  /**
   * The canonical YAML of a spec: top-level knobs written out, one flow mapping per feature, keys
   * in a fixed order, a zero delay and default night hours omitted. {@code parse(write(s))} equals
   * {@code s}.
   */
  public static String write(FeatureSpec spec) {
    StringBuilder out = new StringBuilder();
    out.append("name: ").append(yamlScalar(spec.name())).append('\n');
    out.append("time_zone: ").append(yamlScalar(spec.timeZone().getId())).append('\n');
    out.append("allowed_lateness: ").append(formatDuration(spec.allowedLateness())).append('\n');
    out.append("max_lateness: ").append(formatDuration(spec.maxLateness())).append('\n');
    if (!spec.labelApplyDelay().isZero()) {
      out.append("label_apply_delay: ").append(formatDuration(spec.labelApplyDelay())).append('\n');
    }
    if (spec.entities().isEmpty()) {
      out.append("entities: {}\n");
    } else {
      out.append("entities:\n");
      spec.entities()
          .forEach(
              (entity, field) ->
                  out.append("  ")
                      .append(yamlScalar(entity))
                      .append(": ")
                      .append(field.key())
                      .append('\n'));
    }
    out.append("features:\n");
    for (FeatureDefinition f : spec.features()) {
      Map<String, String> keys = new LinkedHashMap<>();
      keys.put("name", yamlScalar(f.name()));
      keys.put("type", typeName(f));
      if (f.entity() != null) {
        keys.put("entity", yamlScalar(f.entity()));
      }
      if (f instanceof FeatureDefinition.Aggregate a) {
        keys.put("function", snake(a.function()));
        if (a.field() != null) {
          keys.put("field", a.field().key());
        }
        putWindow(keys, a.window(), a.delay());
      } else if (f instanceof FeatureDefinition.LabelAggregate l) {
        keys.put("function", snake(l.function()));
        putWindow(keys, l.window(), l.delay());
      } else if (f instanceof FeatureDefinition.AmountToMean m) {
        putWindow(keys, m.window(), m.delay());
      } else if (f instanceof FeatureDefinition.Calendar c) {
        keys.put("calendar", snake(c.kind()));
        boolean defaultHours =
            c.nightStartHour() == DEFAULT_NIGHT_START_HOUR
                && c.nightEndHour() == DEFAULT_NIGHT_END_HOUR;
        // Always explicit where they matter; elsewhere only to keep the round trip exact.
        if (c.kind() == CalendarKind.NIGHT || !defaultHours) {
          keys.put("night_hours", "[" + c.nightStartHour() + ", " + c.nightEndHour() + "]");
        }
      } else if (f instanceof FeatureDefinition.Geo g) {
        keys.put("geo", snake(g.kind()));
      } else if (f instanceof FeatureDefinition.Categorical c) {
        keys.put("field", c.field().key());
        keys.put(
            "vocabulary",
            c.vocabulary().stream()
                .map(SpecFile::yamlScalar)
                .collect(Collectors.joining(", ", "[", "]")));
      }
      out.append("  - ")
          .append(
              keys.entrySet().stream()
                  .map(k -> k.getKey() + ": " + k.getValue())
                  .collect(Collectors.joining(", ", "{", "}")))
          .append('\n');
    }
    return out.toString();
  }

  private static void putWindow(Map<String, String> keys, Duration window, Duration delay) {
    keys.put("window", formatDuration(window));
    if (!delay.equals(DEFAULT_DELAY)) {
      keys.put("delay", formatDuration(delay));
    }
  }

  /** The {@code type:} of a definition in a spec file, e.g. {@code label_aggregate}. */
  public static String typeName(FeatureDefinition f) {
    if (f instanceof FeatureDefinition.Aggregate) {
      return "aggregate";
    } else if (f instanceof FeatureDefinition.LabelAggregate) {
      return "label_aggregate";
    } else if (f instanceof FeatureDefinition.TimeSinceLast) {
      return "time_since_last";
    } else if (f instanceof FeatureDefinition.AmountToMean) {
      return "amount_to_mean";
    } else if (f instanceof FeatureDefinition.Calendar) {
      return "calendar";
    } else if (f instanceof FeatureDefinition.Geo) {
      return "geo";
    } else if (f instanceof FeatureDefinition.Categorical) {
      return "categorical";
    }
    throw new IllegalStateException("no spec file type for " + f.getClass().getName());
  }

  /**
   * A duration as a spec file writes it: whole days as {@code P7D}, the rest as {@code PT1H30M}
   * ({@code P1DT12H} for a mix), zero as {@code PT0S}.
   */
  public static String formatDuration(Duration d) {
    long days = d.toDays();
    if (d.isNegative() || days == 0) {
      return d.toString();
    }
    Duration rest = d.minusDays(days);
    return "P" + days + "D" + (rest.isZero() ? "" : rest.toString().substring(1));
  }

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./+-]*");
  private static final Set<String> YAML_WORDS =
      Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null");

  /** A string as a YAML scalar: plain when no YAML reader could take it for anything else. */
  static String yamlScalar(String s) {
    if (PLAIN.matcher(s).matches() && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    StringBuilder q = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              if (cp == '"' || cp == '\\') {
                q.append('\\').appendCodePoint(cp);
              } else if (cp < 0x20
                  || (cp >= 0x7F && cp <= 0x9F)
                  || cp == 0x2028
                  || cp == 0x2029
                  || cp == 0xFEFF
                  || cp == 0xFFFE
                  || cp == 0xFFFF
                  || (cp <= 0xFFFF && Character.isSurrogate((char) cp))) {
                // YAML readers fold or reject these raw: escape them.
                q.append(String.format(Locale.ROOT, "\\u%04X", cp));
              } else {
                q.appendCodePoint(cp);
              }
            });
    return q.append('"').toString();
  }
}
