package io.parity.features;

import io.parity.events.Field;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureDefinition.CalendarKind;
import io.parity.features.FeatureDefinition.GeoKind;
import io.parity.features.FeatureDefinition.LabelFunction;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random valid feature specs for jqwik, covering every kind and every enum value, and strings that
 * a YAML writer must quote (YAML words, numbers, separators, line breaks, non-ASCII). Every choice
 * is an int decoded with modulo into a small pool, so shrinking moves towards the first entries.
 */
final class RandomSpecs {

  static final String[] SPEC_NAMES = {
    "fraud-v1", "", "yes", "a b", "two\nlines", "quote\" and \\", "ünïcødé", "tab\there", "# not"
  };
  static final String[] ENTITY_NAMES = {
    "card", "terminal", "category", "no", "007", "a: b", "ünï", "{x}", "with space"
  };
  static final String[] ZONES = {
    "UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Z", "+05:30", "Etc/GMT+5"
  };
  static final String[] VOCABULARY = {
    "grocery",
    "fuel",
    "yes",
    "No",
    "007",
    "1.50",
    "null",
    "~",
    "a,b",
    "[x]",
    "{y}",
    "#h",
    "- d",
    "q\"",
    "b\\s",
    "ünï",
    "",
    " lead",
    "trail ",
    "new\nline",
    "tab\t",
    "sep\u2028x",
    "emoji😀",
    "true"
  };
  static final long SECOND = 1000;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final long[] WINDOWS = {HOUR, DAY, 7 * DAY, 30 * DAY, 90 * MINUTE, DAY + HOUR, 1500, 1};
  static final long[] DELAYS = {0, 0, DAY, 7 * DAY, HOUR, 1};
  static final long[] LATENESS = {0, 0, SECOND, MINUTE, DAY + 30 * MINUTE, 1};
  static final Field[] ENTITY_FIELDS = {
    Field.CARD_ID, Field.MERCHANT_ID, Field.MERCHANT_CATEGORY, Field.CHANNEL, Field.CURRENCY
  };

  /** Text fields: what a categorical feature can index (FeatureSpec rejects the others). */
  static final Field[] CATEGORICAL_FIELDS = {
    Field.CARD_ID, Field.MERCHANT_ID, Field.CURRENCY, Field.MERCHANT_CATEGORY, Field.CHANNEL
  };

  static final Field[] DISTINCT_FIELDS = {
    Field.MERCHANT_ID, Field.CARD_ID, Field.MERCHANT_CATEGORY, Field.CHANNEL, Field.AMOUNT
  };

  private RandomSpecs() {}

  static Arbitrary<FeatureSpec> specs() {
    Arbitrary<List<Integer>> draft = Arbitraries.integers().between(0, 999).list().ofSize(8);
    return Combinators.combine(draft, draft.list().ofMinSize(1).ofMaxSize(10))
        .as(RandomSpecs::decode);
  }

  static FeatureSpec decode(List<Integer> head, List<List<Integer>> drafts) {
    Map<String, Field> entities = new LinkedHashMap<>();
    int entityCount = 1 + head.get(0) % 3;
    for (int i = 0; i < entityCount; i++) {
      entities.put(
          ENTITY_NAMES[(head.get(1) + i) % ENTITY_NAMES.length],
          ENTITY_FIELDS[(head.get(2) + 2 * i) % ENTITY_FIELDS.length]);
    }
    List<String> entityNames = new ArrayList<>(entities.keySet());
    List<FeatureDefinition> features = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      features.add(feature(i, drafts.get(i), entityNames));
    }
    return new FeatureSpec(
        SPEC_NAMES[head.get(3) % SPEC_NAMES.length],
        ZoneId.of(ZONES[head.get(4) % ZONES.length]),
        Duration.ofMillis(LATENESS[head.get(5) % LATENESS.length]),
        Duration.ofMillis(LATENESS[head.get(6) % LATENESS.length] + DAY * (head.get(7) % 2)),
        entities,
        features,
        // The label apply delay: none, a second, or more than the lateness knobs.
        Duration.ofMillis(new long[] {0, 1_000, 7_200_000}[(head.get(7) / 2) % 3]));
  }

  private static FeatureDefinition feature(int index, List<Integer> d, List<String> entities) {
    String entity = entities.get(d.get(1) % entities.size());
    Duration window = Duration.ofMillis(WINDOWS[d.get(2) % WINDOWS.length]);
    Duration delay = Duration.ofMillis(DELAYS[d.get(3) % DELAYS.length]);
    int kind = d.get(0) % 7;
    String name = "f" + index + "_k" + kind;
    return switch (kind) {
      case 0 -> {
        AggregateFunction fn = pick(AggregateFunction.values(), d.get(4));
        Field field =
            switch (fn) {
              case COUNT -> null;
              case DISTINCT_COUNT -> pick(DISTINCT_FIELDS, d.get(5));
              default -> Field.AMOUNT;
            };
        yield new FeatureDefinition.Aggregate(name, entity, fn, field, window, delay);
      }
      case 1 ->
          new FeatureDefinition.LabelAggregate(
              name, entity, pick(LabelFunction.values(), d.get(4)), window, delay);
      case 2 -> new FeatureDefinition.TimeSinceLast(name, entity);
      case 3 -> new FeatureDefinition.AmountToMean(name, entity, window, delay);
      case 4 -> {
        CalendarKind k = pick(CalendarKind.values(), d.get(4));
        // Mostly the defaults, sometimes other hours (even where only `night` reads them).
        boolean custom = k == CalendarKind.NIGHT || d.get(5) % 4 == 0;
        yield custom
            ? new FeatureDefinition.Calendar(name, k, d.get(6) % 24, d.get(7) % 24)
            : new FeatureDefinition.Calendar(name, k, 22, 6);
      }
      case 5 -> new FeatureDefinition.Geo(name, entity, pick(GeoKind.values(), d.get(4)));
      default -> {
        Set<String> vocabulary = new LinkedHashSet<>();
        for (int i = 0; i < d.get(4) % 6; i++) {
          vocabulary.add(VOCABULARY[(d.get(5) + i * (1 + d.get(6) % 5)) % VOCABULARY.length]);
        }
        yield new FeatureDefinition.Categorical(
            name, pick(CATEGORICAL_FIELDS, d.get(7)), new ArrayList<>(vocabulary));
      }
    };
  }

  private static <T> T pick(T[] values, int draw) {
    return values[draw % values.length];
  }
}
