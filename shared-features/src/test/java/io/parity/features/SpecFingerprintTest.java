package io.parity.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.Field;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureDefinition.CalendarKind;
import io.parity.features.FeatureDefinition.GeoKind;
import io.parity.features.FeatureDefinition.LabelFunction;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SpecFingerprintTest {

  @Test
  void isAShortSha256OfTheCanonicalForm() {
    FeatureSpec minimal = SpecFile.loadResource("specs/minimal.yaml");

    assertThat(SpecFingerprint.canonicalForm(minimal))
        .isEqualTo(
            """
            parity-feature-spec-fingerprint/1
            time_zone "UTC"
            allowed_lateness_ms 0
            max_lateness_ms 86400000
            entity "card" field=CARD_ID
            feature "card_amount_sum_1d" aggregate entity="card" function=SUM field=AMOUNT\
             window_ms=86400000 delay_ms=0
            feature "card_count_1h" aggregate entity="card" function=COUNT field=null\
             window_ms=3600000 delay_ms=0
            """);
    // Pinned: a different value means every model trained so far would be refused by serving.
    assertThat(SpecFingerprint.of(minimal)).isEqualTo("sha256:" + PINNED_MINIMAL);
    assertThat(SpecFingerprint.of(SpecFile.loadResource("specs/fraud.yaml")))
        .matches("sha256:[0-9a-f]{16}");
  }

  private static final String PINNED_MINIMAL = "969ec7232ed2ab73";

  @Test
  void onlyWhatDecidesAValueCounts() {
    String plain =
        """
        name: fraud-v1
        entities:
          card: card_id
          terminal: merchant_id
        features:
          - {name: card_count_1h, type: aggregate, entity: card, function: count, window: PT1H}
          - {name: terminal_fraud_rate_7d, type: label_aggregate, entity: terminal, function: fraud_rate, window: P7D, delay: P7D}
          - {name: is_night, type: calendar, calendar: night}
          - {name: is_weekend, type: calendar, calendar: weekend}
          - {name: mcc, type: categorical, field: merchant_category, vocabulary: [grocery, fuel]}
        """;
    String rewritten =
        """
        # Same definitions: another name, entities and features reordered, block style, comments,
        # quoting, defaults written out, durations spelled differently.
        name: "fraud-v2 (renamed)"
        max_lateness: PT24H
        allowed_lateness: PT0S
        time_zone: UTC
        entities:
          terminal: "merchant_id"   # by terminal
          card: card_id
        features:
          - name: mcc
            type: categorical
            field: merchant_category
            vocabulary:
              - grocery
              - "fuel"
          - name: is_night
            type: calendar
            calendar: night
            night_hours: [22, 6]
          - {name: is_weekend, type: calendar, calendar: weekend, night_hours: [0, 0]}
          - {type: label_aggregate, name: terminal_fraud_rate_7d, delay: PT168H, window: P7D,
             function: fraud_rate, entity: terminal}
          - {name: card_count_1h, type: aggregate, entity: card, function: count, window: PT60M, delay: P0D}
        """;
    String json =
        """
        {"name": "x", "entities": {"card": "card_id", "terminal": "merchant_id"}, "features": [
          {"name": "is_weekend", "type": "calendar", "calendar": "weekend"},
          {"name": "mcc", "type": "categorical", "field": "merchant_category",
           "vocabulary": ["grocery", "fuel"]},
          {"name": "card_count_1h", "type": "aggregate", "entity": "card", "function": "count",
           "window": "PT1H"},
          {"name": "is_night", "type": "calendar", "calendar": "night"},
          {"name": "terminal_fraud_rate_7d", "type": "label_aggregate", "entity": "terminal",
           "function": "fraud_rate", "window": "P7D", "delay": "P7D"}]}
        """;

    String expected = SpecFingerprint.of(SpecFile.parse(plain));
    assertThat(SpecFingerprint.of(SpecFile.parse(rewritten))).isEqualTo(expected);
    assertThat(SpecFingerprint.of(SpecFile.parse(json))).isEqualTo(expected);
    assertThat(
            SpecFingerprint.of(SpecFile.parse(plain.replace("[grocery, fuel]", "[fuel, grocery]"))))
        .isNotEqualTo(expected);
  }

  @Property(tries = 300)
  void neitherTheNameNorTheOrderOfEntitiesAndFeaturesCount(
      @ForAll("specs") FeatureSpec spec, @ForAll long seed) {
    Random random = new Random(seed);
    List<FeatureDefinition> features = new ArrayList<>(spec.features());
    Collections.shuffle(features, random);
    List<Map.Entry<String, Field>> entities = new ArrayList<>(spec.entities().entrySet());
    Collections.shuffle(entities, random);
    Map<String, Field> shuffled = new LinkedHashMap<>();
    entities.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
    FeatureSpec same =
        new FeatureSpec(
            spec.name() + " (copy)",
            spec.timeZone(),
            spec.allowedLateness(),
            spec.maxLateness(),
            shuffled,
            features,
            spec.labelApplyDelay());

    assertThat(SpecFingerprint.of(same)).isEqualTo(SpecFingerprint.of(spec));
    assertThat(SpecFingerprint.of(SpecFile.parse(SpecFile.write(spec))))
        .isEqualTo(SpecFingerprint.of(spec));
  }

  @Property(tries = 300)
  void everySingleChangeToADefinitionChangesIt(@ForAll("specs") FeatureSpec spec) {
    String original = SpecFingerprint.of(spec);
    List<Change> changes = singleChanges(spec);

    assertThat(changes).isNotEmpty();
    for (Change c : changes) {
      assertThat(SpecFingerprint.of(c.spec())).as(c.what()).isNotEqualTo(original);
    }
  }

  @Test
  void nightHoursCountOnlyForNight() {
    FeatureSpec weekend = spec(new FeatureDefinition.Calendar("c", CalendarKind.WEEKEND, 22, 6));
    FeatureSpec night = spec(new FeatureDefinition.Calendar("c", CalendarKind.NIGHT, 22, 6));

    assertThat(
            SpecFingerprint.of(
                spec(new FeatureDefinition.Calendar("c", CalendarKind.WEEKEND, 1, 2))))
        .isEqualTo(SpecFingerprint.of(weekend));
    assertThat(
            SpecFingerprint.of(spec(new FeatureDefinition.Calendar("c", CalendarKind.NIGHT, 1, 2))))
        .isNotEqualTo(SpecFingerprint.of(night));
  }

  @Test
  void stringsCannotForgeTheCanonicalForm() {
    FeatureSpec a =
        spec(
            new FeatureDefinition.Categorical(
                "c", Field.CHANNEL, List.of("a\",\"b"))); // one value that looks like two
    FeatureSpec b = spec(new FeatureDefinition.Categorical("c", Field.CHANNEL, List.of("a", "b")));

    assertThat(SpecFingerprint.of(a)).isNotEqualTo(SpecFingerprint.of(b));
  }

  private static FeatureSpec spec(FeatureDefinition f) {
    return new FeatureSpec(
        "t",
        ZoneId.of("UTC"),
        Duration.ZERO,
        Duration.ofDays(1),
        Map.of("card", Field.CARD_ID),
        List.of(f));
  }

  @Provide
  Arbitrary<FeatureSpec> specs() {
    return RandomSpecs.specs();
  }

  // ---------------------------------------------------------------------------------------------
  // Every single-attribute change of a spec that keeps it valid.

  record Change(String what, FeatureSpec spec) {}

  static List<Change> singleChanges(FeatureSpec s) {
    List<Change> changes = new ArrayList<>();
    ZoneId otherZone = ZoneId.of(s.timeZone().getId().equals("UTC") ? "Europe/Paris" : "UTC");
    changes.add(
        new Change(
            "time zone",
            new FeatureSpec(
                s.name(),
                otherZone,
                s.allowedLateness(),
                s.maxLateness(),
                s.entities(),
                s.features(),
                s.labelApplyDelay())));
    changes.add(
        new Change(
            "allowed lateness",
            new FeatureSpec(
                s.name(),
                s.timeZone(),
                s.allowedLateness().plusMillis(1),
                s.maxLateness(),
                s.entities(),
                s.features(),
                s.labelApplyDelay())));
    changes.add(
        new Change("label apply delay", s.withLabelApplyDelay(s.labelApplyDelay().plusMillis(1))));
    changes.add(
        new Change(
            "max lateness",
            new FeatureSpec(
                s.name(),
                s.timeZone(),
                s.allowedLateness(),
                s.maxLateness().plusMillis(1),
                s.entities(),
                s.features(),
                s.labelApplyDelay())));
    for (String entity : s.entities().keySet()) {
      for (Field other : RandomSpecs.ENTITY_FIELDS) {
        if (other != s.entities().get(entity)) {
          Map<String, Field> entities = new LinkedHashMap<>(s.entities());
          entities.put(entity, other);
          changes.add(
              new Change(
                  "entity " + entity + " -> " + other,
                  new FeatureSpec(
                      s.name(),
                      s.timeZone(),
                      s.allowedLateness(),
                      s.maxLateness(),
                      entities,
                      s.features(),
                      s.labelApplyDelay())));
        }
      }
    }
    if (s.features().size() > 1) {
      changes.add(
          new Change(
              "drop a feature", withFeatures(s, s.features().subList(1, s.features().size()))));
    }
    List<FeatureDefinition> more = new ArrayList<>(s.features());
    more.add(new FeatureDefinition.Calendar("zz_extra", CalendarKind.WEEKEND, 22, 6));
    changes.add(new Change("add a feature", withFeatures(s, more)));

    for (int i = 0; i < s.features().size(); i++) {
      int index = i;
      FeatureDefinition f = s.features().get(i);
      for (Map.Entry<String, FeatureDefinition> v : variants(f, s.entities().keySet()).entrySet()) {
        List<FeatureDefinition> features = new ArrayList<>(s.features());
        features.set(index, v.getValue());
        changes.add(new Change(f.name() + ": " + v.getKey(), withFeatures(s, features)));
      }
    }
    return changes;
  }

  private static FeatureSpec withFeatures(FeatureSpec s, List<FeatureDefinition> features) {
    return new FeatureSpec(
        s.name(),
        s.timeZone(),
        s.allowedLateness(),
        s.maxLateness(),
        s.entities(),
        features,
        s.labelApplyDelay());
  }

  /** Each valid definition that differs from {@code f} in exactly one attribute. */
  private static Map<String, FeatureDefinition> variants(
      FeatureDefinition f, java.util.Set<String> entities) {
    Map<String, FeatureDefinition> out = new LinkedHashMap<>();
    UnaryOperator<Duration> longer = d -> d.plusSeconds(1);
    List<String> otherEntities = entities.stream().filter(e -> !e.equals(f.entity())).toList();
    String renamed = f.name() + "_x";
    if (f instanceof FeatureDefinition.Aggregate a) {
      out.put(
          "name",
          new FeatureDefinition.Aggregate(
              renamed, a.entity(), a.function(), a.field(), a.window(), a.delay()));
      out.put(
          "window",
          new FeatureDefinition.Aggregate(
              a.name(), a.entity(), a.function(), a.field(), longer.apply(a.window()), a.delay()));
      out.put(
          "delay",
          new FeatureDefinition.Aggregate(
              a.name(), a.entity(), a.function(), a.field(), a.window(), longer.apply(a.delay())));
      for (String e : otherEntities) {
        out.put(
            "entity " + e,
            new FeatureDefinition.Aggregate(
                a.name(), e, a.function(), a.field(), a.window(), a.delay()));
      }
      for (AggregateFunction fn : AggregateFunction.values()) {
        boolean sameFieldValid =
            switch (fn) {
              case COUNT -> a.field() == null;
              case DISTINCT_COUNT -> a.field() != null;
              default -> a.field() == Field.AMOUNT;
            };
        if (fn != a.function() && sameFieldValid) {
          out.put(
              "function " + fn,
              new FeatureDefinition.Aggregate(
                  a.name(), a.entity(), fn, a.field(), a.window(), a.delay()));
        }
      }
      if (a.function() == AggregateFunction.DISTINCT_COUNT) {
        for (Field field : RandomSpecs.DISTINCT_FIELDS) {
          if (field != a.field()) {
            out.put(
                "field " + field,
                new FeatureDefinition.Aggregate(
                    a.name(), a.entity(), a.function(), field, a.window(), a.delay()));
          }
        }
      }
    } else if (f instanceof FeatureDefinition.LabelAggregate l) {
      out.put(
          "name",
          new FeatureDefinition.LabelAggregate(
              renamed, l.entity(), l.function(), l.window(), l.delay()));
      out.put(
          "window",
          new FeatureDefinition.LabelAggregate(
              l.name(), l.entity(), l.function(), longer.apply(l.window()), l.delay()));
      out.put(
          "delay",
          new FeatureDefinition.LabelAggregate(
              l.name(), l.entity(), l.function(), l.window(), longer.apply(l.delay())));
      for (String e : otherEntities) {
        out.put(
            "entity " + e,
            new FeatureDefinition.LabelAggregate(l.name(), e, l.function(), l.window(), l.delay()));
      }
      for (LabelFunction fn : LabelFunction.values()) {
        if (fn != l.function()) {
          out.put(
              "function " + fn,
              new FeatureDefinition.LabelAggregate(
                  l.name(), l.entity(), fn, l.window(), l.delay()));
        }
      }
    } else if (f instanceof FeatureDefinition.TimeSinceLast t) {
      out.put("name", new FeatureDefinition.TimeSinceLast(renamed, t.entity()));
      for (String e : otherEntities) {
        out.put("entity " + e, new FeatureDefinition.TimeSinceLast(t.name(), e));
      }
    } else if (f instanceof FeatureDefinition.AmountToMean m) {
      out.put(
          "name", new FeatureDefinition.AmountToMean(renamed, m.entity(), m.window(), m.delay()));
      out.put(
          "window",
          new FeatureDefinition.AmountToMean(
              m.name(), m.entity(), longer.apply(m.window()), m.delay()));
      out.put(
          "delay",
          new FeatureDefinition.AmountToMean(
              m.name(), m.entity(), m.window(), longer.apply(m.delay())));
      for (String e : otherEntities) {
        out.put(
            "entity " + e, new FeatureDefinition.AmountToMean(m.name(), e, m.window(), m.delay()));
      }
    } else if (f instanceof FeatureDefinition.Calendar c) {
      out.put(
          "name",
          new FeatureDefinition.Calendar(renamed, c.kind(), c.nightStartHour(), c.nightEndHour()));
      for (CalendarKind k : CalendarKind.values()) {
        if (k != c.kind()) {
          out.put(
              "kind " + k,
              new FeatureDefinition.Calendar(c.name(), k, c.nightStartHour(), c.nightEndHour()));
        }
      }
      if (c.kind() == CalendarKind.NIGHT) {
        out.put(
            "night start",
            new FeatureDefinition.Calendar(
                c.name(), c.kind(), (c.nightStartHour() + 1) % 24, c.nightEndHour()));
        out.put(
            "night end",
            new FeatureDefinition.Calendar(
                c.name(), c.kind(), c.nightStartHour(), (c.nightEndHour() + 1) % 24));
      }
    } else if (f instanceof FeatureDefinition.Geo g) {
      out.put("name", new FeatureDefinition.Geo(renamed, g.entity(), g.kind()));
      for (GeoKind k : GeoKind.values()) {
        if (k != g.kind()) {
          out.put("kind " + k, new FeatureDefinition.Geo(g.name(), g.entity(), k));
        }
      }
      for (String e : otherEntities) {
        out.put("entity " + e, new FeatureDefinition.Geo(g.name(), e, g.kind()));
      }
    } else if (f instanceof FeatureDefinition.Categorical c) {
      out.put("name", new FeatureDefinition.Categorical(renamed, c.field(), c.vocabulary()));
      for (Field field : RandomSpecs.CATEGORICAL_FIELDS) {
        if (field != c.field()) {
          out.put(
              "field " + field, new FeatureDefinition.Categorical(c.name(), field, c.vocabulary()));
        }
      }
      if (c.vocabulary().size() > 1) {
        List<String> reversed = new ArrayList<>(c.vocabulary());
        Collections.reverse(reversed);
        out.put(
            "vocabulary order", new FeatureDefinition.Categorical(c.name(), c.field(), reversed));
      }
      List<String> longerVocabulary = new ArrayList<>(c.vocabulary());
      longerVocabulary.add("zz_new");
      out.put(
          "vocabulary value",
          new FeatureDefinition.Categorical(c.name(), c.field(), longerVocabulary));
    }
    return out;
  }
}
