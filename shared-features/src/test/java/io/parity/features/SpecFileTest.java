package io.parity.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.parity.events.Field;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureDefinition.CalendarKind;
import io.parity.features.FeatureDefinition.GeoKind;
import io.parity.features.FeatureDefinition.LabelFunction;
import io.parity.features.SpecFile.InvalidSpecException;
import io.parity.features.SpecFile.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecFileTest {

  /** The example of the format in docs/specs.md. */
  static final String DOC_EXAMPLE =
      """
      name: fraud-v1
      time_zone: UTC            # default UTC
      allowed_lateness: PT0S    # ISO-8601 duration, default PT0S
      max_lateness: P1D         # default P1D
      entities:
        card: card_id
        terminal: merchant_id
      features:
        - {name: card_count_1h, type: aggregate, entity: card, function: count, window: PT1H}
        - {name: card_amount_sum_1d, type: aggregate, entity: card, function: sum, field: amount, window: P1D}
        - {name: card_amount_mean_7d_delayed, type: aggregate, entity: card, function: mean, field: amount, window: P7D, delay: P1D}
        - {name: terminal_fraud_rate_7d, type: label_aggregate, entity: terminal, function: fraud_rate, window: P7D, delay: P7D}
        - {name: card_seconds_since_last, type: time_since_last, entity: card}
        - {name: card_amount_to_mean_30d, type: amount_to_mean, entity: card, window: P30D}
        - {name: is_weekend, type: calendar, calendar: weekend}
        - {name: is_night, type: calendar, calendar: night, night_hours: [22, 6]}
        - {name: card_km_from_previous, type: geo, entity: card, geo: distance_from_previous_km}
        - {name: mcc_index, type: categorical, field: merchant_category, vocabulary: [grocery, fuel]}
      """;

  static final FeatureSpec DOC_EXAMPLE_IN_CODE =
      new FeatureSpec(
          "fraud-v1",
          ZoneId.of("UTC"),
          Duration.ZERO,
          Duration.ofDays(1),
          Map.of("card", Field.CARD_ID, "terminal", Field.MERCHANT_ID),
          List.of(
              new FeatureDefinition.Aggregate(
                  "card_count_1h",
                  "card",
                  AggregateFunction.COUNT,
                  null,
                  Duration.ofHours(1),
                  Duration.ZERO),
              new FeatureDefinition.Aggregate(
                  "card_amount_sum_1d",
                  "card",
                  AggregateFunction.SUM,
                  Field.AMOUNT,
                  Duration.ofDays(1),
                  Duration.ZERO),
              new FeatureDefinition.Aggregate(
                  "card_amount_mean_7d_delayed",
                  "card",
                  AggregateFunction.MEAN,
                  Field.AMOUNT,
                  Duration.ofDays(7),
                  Duration.ofDays(1)),
              new FeatureDefinition.LabelAggregate(
                  "terminal_fraud_rate_7d",
                  "terminal",
                  LabelFunction.FRAUD_RATE,
                  Duration.ofDays(7),
                  Duration.ofDays(7)),
              new FeatureDefinition.TimeSinceLast("card_seconds_since_last", "card"),
              new FeatureDefinition.AmountToMean(
                  "card_amount_to_mean_30d", "card", Duration.ofDays(30), Duration.ZERO),
              new FeatureDefinition.Calendar("is_weekend", CalendarKind.WEEKEND, 22, 6),
              new FeatureDefinition.Calendar("is_night", CalendarKind.NIGHT, 22, 6),
              new FeatureDefinition.Geo(
                  "card_km_from_previous", "card", GeoKind.DISTANCE_FROM_PREVIOUS_KM),
              new FeatureDefinition.Categorical(
                  "mcc_index", Field.MERCHANT_CATEGORY, List.of("grocery", "fuel"))));

  @Test
  void theDocumentedExampleMapsOneToOneOntoTheCodeSpec() {
    FeatureSpec spec = SpecFile.parse(DOC_EXAMPLE);

    assertThat(spec).isEqualTo(DOC_EXAMPLE_IN_CODE);
    assertThat(spec.featureNames()).isEqualTo(DOC_EXAMPLE_IN_CODE.featureNames());
    assertThat(List.copyOf(spec.entities().keySet())).containsExactly("card", "terminal");
  }

  @Test
  void omittedKeysTakeTheirDefaults() {
    FeatureSpec spec =
        SpecFile.parse(
            """
            name: defaults
            entities: {card: card_id}
            features:
              - {name: n, type: calendar, calendar: night}
              - {name: s, type: aggregate, entity: card, function: sum, field: amount, window: PT1H}
            """);

    assertThat(spec.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(spec.allowedLateness()).isEqualTo(Duration.ZERO);
    assertThat(spec.maxLateness()).isEqualTo(Duration.ofDays(1));
    assertThat(spec.features().get(0))
        .isEqualTo(new FeatureDefinition.Calendar("n", CalendarKind.NIGHT, 22, 6));
    assertThat(((FeatureDefinition.Aggregate) spec.features().get(1)).delay())
        .isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"specs/fraud.yaml", "specs/minimal.yaml"})
  void shippedExamplesLoadAndRoundTrip(String resource) {
    FeatureSpec spec = SpecFile.loadResource(resource);
    String written = SpecFile.write(spec);
    FeatureSpec again = SpecFile.parse(written);

    assertThat(again).isEqualTo(spec);
    assertThat(again.featureNames()).isEqualTo(spec.featureNames());
    assertThat(SpecFile.write(again)).isEqualTo(written);
  }

  @Test
  void theFraudExampleUsesEveryKindAndEveryFunction() {
    FeatureSpec spec = SpecFile.loadResource("specs/fraud.yaml");

    assertThat(spec.features().stream().map(SpecFile::typeName).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "aggregate",
            "label_aggregate",
            "time_since_last",
            "amount_to_mean",
            "calendar",
            "geo",
            "categorical");
    assertThat(
            kinds(spec, FeatureDefinition.Aggregate.class, FeatureDefinition.Aggregate::function))
        .isEqualTo(EnumSet.allOf(AggregateFunction.class));
    assertThat(
            kinds(
                spec,
                FeatureDefinition.LabelAggregate.class,
                FeatureDefinition.LabelAggregate::function))
        .isEqualTo(EnumSet.allOf(LabelFunction.class));
    assertThat(kinds(spec, FeatureDefinition.Calendar.class, FeatureDefinition.Calendar::kind))
        .isEqualTo(EnumSet.allOf(CalendarKind.class));
    assertThat(kinds(spec, FeatureDefinition.Geo.class, FeatureDefinition.Geo::kind))
        .isEqualTo(EnumSet.allOf(GeoKind.class));
    assertThat(spec.features())
        .filteredOn(f -> f instanceof FeatureDefinition.Categorical)
        .singleElement()
        .isEqualTo(
            new FeatureDefinition.Categorical(
                "merchant_category_index",
                Field.MERCHANT_CATEGORY,
                List.of(
                    "grocery",
                    "fuel",
                    "restaurant",
                    "electronics",
                    "travel",
                    "online_retail",
                    "jewelry",
                    "cash")));
  }

  private static <T extends FeatureDefinition, E> Set<E> kinds(
      FeatureSpec spec, Class<T> type, java.util.function.Function<T, E> kind) {
    return spec.features().stream()
        .filter(type::isInstance)
        .map(type::cast)
        .map(kind)
        .collect(Collectors.toSet());
  }

  @Property(tries = 300)
  void anySpecRoundTripsThroughItsYaml(@ForAll("specs") FeatureSpec spec) {
    String written = SpecFile.write(spec);
    FeatureSpec again = SpecFile.parse(written);

    assertThat(again).as(written).isEqualTo(spec);
    assertThat(again.featureNames()).isEqualTo(spec.featureNames());
    assertThat(List.copyOf(again.entities().keySet()))
        .isEqualTo(List.copyOf(spec.entities().keySet()));
    assertThat(SpecFile.write(again)).isEqualTo(written);
  }

  @Provide
  net.jqwik.api.Arbitrary<FeatureSpec> specs() {
    return RandomSpecs.specs();
  }

  @Test
  void writesTheCanonicalForm() {
    assertThat(SpecFile.write(SpecFile.parse(DOC_EXAMPLE)))
        .isEqualTo(
            """
            name: fraud-v1
            time_zone: UTC
            allowed_lateness: PT0S
            max_lateness: P1D
            entities:
              card: card_id
              terminal: merchant_id
            features:
              - {name: card_count_1h, type: aggregate, entity: card, function: count, window: PT1H}
              - {name: card_amount_sum_1d, type: aggregate, entity: card, function: sum, field: amount, window: P1D}
              - {name: card_amount_mean_7d_delayed, type: aggregate, entity: card, function: mean, field: amount, window: P7D, delay: P1D}
              - {name: terminal_fraud_rate_7d, type: label_aggregate, entity: terminal, function: fraud_rate, window: P7D, delay: P7D}
              - {name: card_seconds_since_last, type: time_since_last, entity: card}
              - {name: card_amount_to_mean_30d, type: amount_to_mean, entity: card, window: P30D}
              - {name: is_weekend, type: calendar, calendar: weekend}
              - {name: is_night, type: calendar, calendar: night, night_hours: [22, 6]}
              - {name: card_km_from_previous, type: geo, entity: card, geo: distance_from_previous_km}
              - {name: mcc_index, type: categorical, field: merchant_category, vocabulary: [grocery, fuel]}
            """);
  }

  @ParameterizedTest
  @MethodSource("durations")
  void formatsDurationsTheWayPeopleWriteThem(Duration d, String text) {
    assertThat(SpecFile.formatDuration(d)).isEqualTo(text);
    assertThat(Duration.parse(text)).isEqualTo(d);
  }

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of(Duration.ZERO, "PT0S"),
        Arguments.of(Duration.ofHours(1), "PT1H"),
        Arguments.of(Duration.ofMinutes(90), "PT1H30M"),
        Arguments.of(Duration.ofDays(7), "P7D"),
        Arguments.of(Duration.ofDays(1).plusHours(12), "P1DT12H"),
        Arguments.of(Duration.ofMillis(1500), "PT1.5S"),
        Arguments.of(Duration.ofDays(2).plusMillis(1), "P2DT0.001S"));
  }

  @Test
  void jsonLoadsLikeYaml() {
    String json =
        """
        {
          "name": "fraud-v1",
          "entities": {"card": "card_id", "terminal": "merchant_id"},
          "features": [
            {"name": "card_count_1h", "type": "aggregate", "entity": "card",
             "function": "count", "window": "PT1H"},
            {"name": "is_night", "type": "calendar", "calendar": "night", "night_hours": [22, 6]}
          ]
        }
        """;
    FeatureSpec spec = SpecFile.parse(json);

    assertThat(spec.featureNames()).containsExactly("card_count_1h", "is_night");
    assertThat(spec.features().get(0)).isEqualTo(DOC_EXAMPLE_IN_CODE.features().get(0));

    assertThat(problems(json.replace("\"count\"", "\"countt\"")))
        .containsExactly(
            "line 6, features[0] (card_count_1h): unknown function 'countt'; expected count, sum,"
                + " mean, min, max, stddev, distinct_count");
  }

  @Test
  void vocabularyValuesAreTheTextAsWritten() {
    FeatureSpec spec =
        SpecFile.parse(
            """
            name: v
            entities: {}
            features:
              - {name: c, type: categorical, field: channel, vocabulary: [yes, 007, 1.50, "x y", '']}
            """);

    assertThat(((FeatureDefinition.Categorical) spec.features().get(0)).vocabulary())
        .containsExactly("yes", "007", "1.50", "x y", "");
  }

  // ---------------------------------------------------------------------------------------------
  // Errors: every kind, with its line and path.

  private static final String HEADER =
      """
      name: t
      entities:
        card: card_id
        terminal: merchant_id
      features:
        - {name: ok_count, type: aggregate, entity: card, function: count, window: PT1H}
      """;

  /** One bad feature on line 7, as features[1]. */
  @ParameterizedTest(name = "{1}")
  @MethodSource("featureErrors")
  void aBadFeatureIsReportedWithItsLineAndPath(String feature, String expected) {
    assertThat(problems(HEADER + "  - " + feature + "\n")).containsExactly(expected);
  }

  static Stream<Arguments> featureErrors() {
    String aggregateKeys = "name, type, entity, function, field, window, delay";
    String fields =
        "event_id, event_time, card_id, merchant_id, amount, currency, merchant_category,"
            + " latitude, longitude, channel, label, label_time";
    return Stream.of(
        Arguments.of(
            "{name: x, type: label_aggregate, entity: terminal, function: fraud_ratio, window: P7D}",
            "line 7, features[1] (x): unknown function 'fraud_ratio'; expected fraud_count,"
                + " fraud_rate"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, function: count, window: PT1H, windw: P1D}",
            "line 7, features[1] (x): unknown key 'windw'; allowed for aggregate: "
                + aggregateKeys),
        Arguments.of(
            "{name: x, type: calendar, calendar: night, entity: card}",
            "line 7, features[1] (x): unknown key 'entity'; allowed for calendar: name, type,"
                + " calendar, night_hours"),
        Arguments.of(
            "{name: x, type: aggregat, entity: card}",
            "line 7, features[1] (x): unknown type 'aggregat'; expected aggregate,"
                + " label_aggregate, time_since_last, amount_to_mean, calendar, geo, categorical"),
        Arguments.of(
            "{name: x, entity: card}",
            "line 7, features[1] (x): missing type; expected aggregate, label_aggregate,"
                + " time_since_last, amount_to_mean, calendar, geo, categorical"),
        Arguments.of(
            "{type: time_since_last, entity: card}",
            "line 7, features[1]: missing name (the column name, e.g. card_count_1h)"),
        Arguments.of(
            "{name: x, type: time_since_last}",
            "line 7, features[1] (x): missing entity (one of the declared entities [card,"
                + " terminal])"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, window: PT1H}",
            "line 7, features[1] (x): missing function; expected count, sum, mean, min, max,"
                + " stddev, distinct_count"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card}",
            "line 7, features[1] (x): missing window (an ISO-8601 duration such as PT1H or P7D)"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: 1h}",
            "line 7, features[1] (x): window '1h' is not an ISO-8601 duration; use days, hours,"
                + " minutes, seconds such as PT30M, PT1H, P7D, P1DT12H (no weeks, months or"
                + " years)"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: P1W}",
            "line 7, features[1] (x): window 'P1W' is not an ISO-8601 duration; use days, hours,"
                + " minutes, seconds such as PT30M, PT1H, P7D, P1DT12H (no weeks, months or"
                + " years)"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: P1000000D}",
            "line 7, features[1] (x): window 'P1000000D' is too long (at most 292 years)"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: [P1D]}",
            "line 7, features[1] (x): window: expected an ISO-8601 duration such as PT1H or P7D,"
                + " got a list"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: }",
            "line 7, features[1] (x): window: expected an ISO-8601 duration such as PT1H or P7D,"
                + " got nothing"),
        Arguments.of(
            "{name: x, type: calendar, calendar: weekday}",
            "line 7, features[1] (x): unknown calendar 'weekday'; expected weekend, night,"
                + " hour_of_day, day_of_week"),
        Arguments.of(
            "{name: x, type: calendar, calendar: WEEKEND}",
            "line 7, features[1] (x): unknown calendar 'WEEKEND'; expected weekend, night,"
                + " hour_of_day, day_of_week"),
        Arguments.of(
            "{name: x, type: geo, entity: card, geo: distance}",
            "line 7, features[1] (x): unknown geo 'distance'; expected distance_from_previous_km,"
                + " speed_from_previous_kmh"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, function: sum, field: amt, window: P1D}",
            "line 7, features[1] (x): unknown field 'amt'; expected " + fields),
        Arguments.of(
            "{name: x, type: categorical, vocabulary: [a]}",
            "line 7, features[1] (x): missing field; expected " + fields),
        Arguments.of(
            "{name: x, type: categorical, field: channel}",
            "line 7, features[1] (x): missing vocabulary (a list of values, e.g. [grocery, fuel])"),
        Arguments.of(
            "{name: x, type: categorical, field: channel, vocabulary: pos}",
            "line 7, features[1] (x): vocabulary must be a list of values, e.g. [grocery, fuel]"),
        Arguments.of(
            "{name: x, type: categorical, field: channel, vocabulary: [pos, [web]]}",
            "line 7, features[1] (x): vocabulary values must be plain values, e.g. [grocery,"
                + " fuel]"),
        Arguments.of(
            "{name: x, type: calendar, calendar: night, night_hours: [22]}",
            "line 7, features[1] (x): night_hours must be [start, end] in whole hours, e.g. [22,"
                + " 6]"),
        Arguments.of(
            "{name: x, type: calendar, calendar: night, night_hours: [22, 6.5]}",
            "line 7, features[1] (x): night_hours must be [start, end] in whole hours, e.g. [22,"
                + " 6]"),
        Arguments.of(
            "{name: x, type: time_since_last, entity: card, entity: terminal}",
            "line 7, features[1] (x): duplicate key 'entity'"),
        Arguments.of(
            "[name, x]",
            "line 7, features[1]: expected a mapping such as {name: card_count_1h, type:"
                + " aggregate, ...}"),
        // FeatureSpec's own checks, mapped back to the file.
        Arguments.of(
            "{name: x, type: time_since_last, entity: merchant}",
            "line 7, features[1] (x): unknown entity 'merchant'; declared: [card, terminal]"),
        Arguments.of(
            "{name: ok_count, type: time_since_last, entity: card}",
            "line 7, features[1] (ok_count): duplicate feature name"),
        Arguments.of(
            "{name: Card-Count, type: time_since_last, entity: card}",
            "line 7, features[1] (Card-Count): name must match [a-z][a-z0-9_]* (it becomes a"
                + " column name)"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, function: count, field: amount, window: P1D}",
            "line 7, features[1] (x): count counts events; drop the field"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, function: mean, window: P1D}",
            "line 7, features[1] (x): mean needs field: amount"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, function: max, field: card_id, window: P1D}",
            "line 7, features[1] (x): max needs a numeric field (amount), got card_id"),
        Arguments.of(
            "{name: x, type: aggregate, entity: card, function: distinct_count, window: P1D}",
            "line 7, features[1] (x): distinct_count needs a field"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: PT0S}",
            "line 7, features[1] (x): window must be positive"),
        Arguments.of(
            "{name: x, type: label_aggregate, entity: card, function: fraud_count, window: P7D,"
                + " delay: -P1D}",
            "line 7, features[1] (x): delay must not be negative"),
        Arguments.of(
            "{name: x, type: amount_to_mean, entity: card, window: PT0.0001S}",
            "line 7, features[1] (x): window and delay must be whole milliseconds"),
        Arguments.of(
            "{name: x, type: calendar, calendar: night, night_hours: [22, 24]}",
            "line 7, features[1] (x): night hours must be within 0..23"),
        Arguments.of(
            "{name: x, type: categorical, field: channel, vocabulary: [pos, web, pos]}",
            "line 7, features[1] (x): vocabulary has duplicates"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("topLevelErrors")
  void aBadTopLevelKeyIsReportedWithItsLine(String yaml, String expected) {
    assertThat(problems(yaml)).containsExactly(expected);
  }

  static Stream<Arguments> topLevelErrors() {
    String features =
        "features:\n  - {name: c, type: aggregate, entity: card, function: count, window: P1D}\n";
    String entities = "entities:\n  card: card_id\n";
    String entityFields = "card_id, merchant_id, currency, merchant_category, channel";
    return Stream.of(
        Arguments.of(
            "name: t\nnmae: u\n" + entities + features,
            "line 2, nmae: unknown key; allowed: name, time_zone, allowed_lateness, max_lateness,"
                + " label_apply_delay, entities, features"),
        Arguments.of("name: t\nname: u\n" + entities + features, "line 2, name: duplicate key"),
        Arguments.of(
            "time_zone: UTC\n" + entities + features,
            "line 1, name: missing; a label for people, e.g. name: fraud-v1"),
        Arguments.of(
            "name: t\ntime_zone: Mars/Olympus\n" + entities + features,
            "line 2, time_zone: unknown time zone 'Mars/Olympus' (e.g. UTC, Europe/Paris,"
                + " +01:00)"),
        Arguments.of(
            "name: t\nallowed_lateness: 5 minutes\n" + entities + features,
            "line 2, allowed_lateness: '5 minutes' is not an ISO-8601 duration; use days, hours,"
                + " minutes, seconds such as PT30M, PT1H, P7D, P1DT12H (no weeks, months or"
                + " years)"),
        Arguments.of(
            "name: t\nmax_lateness: -PT1S\n" + entities + features,
            "line 2, max_lateness: must not be negative"),
        Arguments.of(
            "name: t\nallowed_lateness: -PT1S\n" + entities + features,
            "line 2, allowed_lateness: must not be negative"),
        Arguments.of(
            "name: t\n" + features,
            "line 1, entities: missing; map each entity to an event field, e.g. card: card_id"),
        Arguments.of(
            "name: t\nentities: [card]\n" + features,
            "line 2, entities: expected a mapping of entity name to event field"),
        Arguments.of(
            "name: t\nentities:\n  card: card_number\n" + features,
            "line 3, entities.card: unknown field 'card_number'; expected " + entityFields),
        Arguments.of(
            "name: t\nentities:\n  card: amount\n" + features,
            "line 3, entities.card: amount cannot key an entity"),
        Arguments.of(
            "name: t\nentities:\n  card: card_id\n  card: merchant_id\n" + features,
            "line 4, entities.card: duplicate entity"),
        Arguments.of(
            "name: t\n" + entities, "line 1, features: missing; a list of feature definitions"),
        Arguments.of(
            "name: t\n" + entities + "features: []\n",
            "line 4, features: at least one feature is required"),
        Arguments.of(
            "name: t\n" + entities + "features:\n  card_count: {type: aggregate}\n",
            "line 5, features: expected a list of feature definitions"),
        Arguments.of("", "line 1: the file is empty; a spec needs name, entities, features"),
        Arguments.of(
            "- name: t\n",
            "line 1: a spec is a mapping with keys name, time_zone,"
                + " allowed_lateness, max_lateness, label_apply_delay, entities, features"),
        Arguments.of(
            "name: t\n" + entities + "features: [\n",
            "line 4: not valid YAML: while parsing a flow node: expected the node"
                + " content, but found '<stream end>'"),
        Arguments.of(
            "name: t\n" + entities + features + "---\nname: u\n",
            "line 7: only one YAML document is allowed in a spec file"),
        Arguments.of(
            "name: &n UTC\ntime_zone: *n\n" + entities + features,
            "line 2, time_zone: aliases (*n) are not supported; write the value out"));
  }

  @Test
  void aliasesAreRejectedRatherThanReadAsTheirName() {
    assertThat(
            problems(
                """
                name: t
                entities: {card: card_id}
                features:
                  - &f {name: a, type: time_since_last, entity: card}
                  - {name: b, type: time_since_last, entity: *f}
                """))
        .containsExactly(
            "line 5, features[1] (b): entity: aliases (*f) are not supported; write the value out");
  }

  @Test
  void everyProblemIsReportedAtOnceInLineOrder() {
    List<String> problems =
        problems(
            """
            name: t
            time_zone: Mars/Olympus
            entities:
              card: card_number
              terminal: merchant_id
            features:
              - {name: a, type: aggregate, entity: card, function: count, window: PT1H, windw: P1D}
              - {name: b, type: label_aggregate, entity: terminal, function: fraud_ratio, window: P7D}
              - {name: c, type: aggregate, entity: nope, function: sum, window: PT0S}
              - {type: wat}
              - {name: a, type: time_since_last, entity: card}
            """);

    assertThat(problems)
        .containsExactly(
            "line 2, time_zone: unknown time zone 'Mars/Olympus' (e.g. UTC, Europe/Paris, +01:00)",
            "line 4, entities.card: unknown field 'card_number'; expected card_id, merchant_id,"
                + " currency, merchant_category, channel",
            "line 7, features[0] (a): unknown key 'windw'; allowed for aggregate: name, type,"
                + " entity, function, field, window, delay",
            "line 8, features[1] (b): unknown function 'fraud_ratio'; expected fraud_count,"
                + " fraud_rate",
            "line 9, features[2] (c): unknown entity 'nope'; declared: [card, terminal]",
            "line 9, features[2] (c): window must be positive",
            "line 9, features[2] (c): sum needs field: amount",
            "line 10, features[3]: unknown type 'wat'; expected aggregate, label_aggregate,"
                + " time_since_last, amount_to_mean, calendar, geo, categorical",
            "line 11, features[4] (a): duplicate feature name");
  }

  @Test
  void specChecksPointAtTheKeyTheyAreAboutInBlockStyle() {
    assertThat(
            problems(
                """
                name: t
                entities: {card: card_id}
                features:
                  - {type: wat}
                  - name: late_mean
                    type: aggregate
                    entity: card
                    function: mean
                    field: card_id
                    window: P7D
                    delay: -P1D
                """))
        .containsExactly(
            "line 4, features[0]: unknown type 'wat'; expected aggregate, label_aggregate,"
                + " time_since_last, amount_to_mean, calendar, geo, categorical",
            "line 9, features[1] (late_mean): mean needs a numeric field (amount), got card_id",
            "line 11, features[1] (late_mean): delay must not be negative");
  }

  @Test
  void aBrokenEntitiesSectionDoesNotAlsoMakeEveryFeatureUnknown() {
    assertThat(
            problems(
                """
                name: t
                entities: card
                features:
                  - {name: a, type: time_since_last, entity: card}
                """))
        .containsExactly("line 2, entities: expected a mapping of entity name to event field");
  }

  @Test
  void loadingAFileNamesItInTheMessage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, HEADER + "  - {name: x, type: geo, entity: card, geo: far}\n");

    InvalidSpecException e =
        catchThrowableOfType(InvalidSpecException.class, () -> SpecFile.load(file));

    assertThat(e.problems()).extracting(Problem::line).containsExactly(7);
    assertThat(e.getMessage())
        .isEqualTo(
            "invalid spec file "
                + file
                + ":\n  line 7, features[1] (x): unknown geo 'far'; expected"
                + " distance_from_previous_km, speed_from_previous_kmh");
    assertThatThrownBy(() -> SpecFile.load(dir.resolve("none.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such spec file");
  }

  @Test
  void aFileLoadsLikeItsText(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spec.yaml");
    Files.writeString(file, DOC_EXAMPLE);
    assertThat(SpecFile.load(file)).isEqualTo(DOC_EXAMPLE_IN_CODE);
  }

  @Test
  void unknownResourcesSaySo() {
    assertThatThrownBy(() -> SpecFile.loadResource("specs/none.yaml"))
        .hasMessage("no spec resource specs/none.yaml on the class path");
  }

  static List<String> problems(String text) {
    InvalidSpecException e =
        catchThrowableOfType(InvalidSpecException.class, () -> SpecFile.parse(text));
    assertThat(e).as("expected problems in:\n" + text).isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void problemsReadLikeCompilerMessages() {
    assertThat(new Problem(3, "features[0] (a)", "bad").toString())
        .isEqualTo("line 3, features[0] (a): bad");
    assertThat(new Problem(3, "", "bad").toString()).isEqualTo("line 3: bad");
    assertThat(new Problem(0, "x", "bad").toString()).isEqualTo("x: bad");
    assertThat(new Problem(0, "", "bad").toString()).isEqualTo("bad");
  }
}
