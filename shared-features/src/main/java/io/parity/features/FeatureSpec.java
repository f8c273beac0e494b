package io.parity.features;

import io.parity.events.Field;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A feature spec: the entities features are keyed by, and the feature definitions, plus the two
 * ordering knobs that make streaming and batch agree. Immutable; validated on construction.
 *
 * @param name a label for people; not part of the fingerprint
 * @param timeZone zone of calendar features
 * @param allowedLateness {@code L}: how long after its event time an event may arrive and still be
 *     ordered by event time (see README: processing order)
 * @param maxLateness how far behind the newest processed event an entity keeps history for events
 *     that arrive very late; bounds state together with the longest window
 * @param entities entity name to the event field that keys it (e.g. card -> card_id)
 * @param features definitions in output column order
 * @param labelApplyDelay {@code D}: a label is applied this long after it arrived (README:
 *     processing order); lets a streaming job featurize payments without waiting for idle label
 *     partitions. Zero by default
 */
public record FeatureSpec(
    String name,
    ZoneId timeZone,
    Duration allowedLateness,
    Duration maxLateness,
    Map<String, Field> entities,
    List<FeatureDefinition> features,
    Duration labelApplyDelay)
    implements Serializable {

  /** A spec whose labels apply as soon as they arrive ({@code label_apply_delay} zero). */
  public FeatureSpec(
      String name,
      ZoneId timeZone,
      Duration allowedLateness,
      Duration maxLateness,
      Map<String, Field> entities,
      List<FeatureDefinition> features) {
    this(name, timeZone, allowedLateness, maxLateness, entities, features, Duration.ZERO);
  }

  /** The same spec with another label apply delay. */
  public FeatureSpec withLabelApplyDelay(Duration delay) {
    return new FeatureSpec(name, timeZone, allowedLateness, maxLateness, entities, features, delay);
  }

  /** Event fields that can key an entity. */
  public static final Set<Field> ENTITY_FIELDS =
      Set.of(
          Field.CARD_ID, Field.MERCHANT_ID, Field.MERCHANT_CATEGORY, Field.CHANNEL, Field.CURRENCY);

  /** Fields a distinct count can compare: every payment field. */
  public static final Set<Field> DISTINCT_FIELDS =
      Set.of(
          Field.EVENT_ID,
          Field.EVENT_TIME,
          Field.CARD_ID,
          Field.MERCHANT_ID,
          Field.AMOUNT,
          Field.CURRENCY,
          Field.MERCHANT_CATEGORY,
          Field.LATITUDE,
          Field.LONGITUDE,
          Field.CHANNEL);

  /** Event fields an aggregate can read: numbers for sums and means, any for distinct counts. */
  public static final Set<Field> NUMERIC_FIELDS = Set.of(Field.AMOUNT);

  public FeatureSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    Objects.requireNonNull(maxLateness, "maxLateness");
    Objects.requireNonNull(labelApplyDelay, "labelApplyDelay");
    entities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    features = List.copyOf(features);
    List<String> errors = validate(allowedLateness, maxLateness, entities, features);
    if (labelApplyDelay.isNegative()) {
      errors.add("label_apply_delay must not be negative");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  private static List<String> validate(
      Duration allowedLateness,
      Duration maxLateness,
      Map<String, Field> entities,
      List<FeatureDefinition> features) {
    List<String> errors = new ArrayList<>();
    if (allowedLateness.isNegative()) {
      errors.add("allowed_lateness must not be negative");
    }
    if (maxLateness.isNegative()) {
      errors.add("max_lateness must not be negative");
    }
    entities.forEach(
        (entity, field) -> {
          if (!ENTITY_FIELDS.contains(field)) {
            errors.add("entities." + entity + ": " + field.key() + " cannot key an entity");
          }
        });
    if (features.isEmpty()) {
      errors.add("features: at least one feature is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      FeatureDefinition f = features.get(i);
      String where = "features[" + i + "] (" + f.name() + ")";
      if (!f.name().matches("[a-z][a-z0-9_]*")) {
        errors.add(where + ": name must match [a-z][a-z0-9_]* (it becomes a column name)");
      }
      if (!names.add(f.name())) {
        errors.add(where + ": duplicate feature name");
      }
      if (f.entity() != null && !entities.containsKey(f.entity())) {
        errors.add(where + ": unknown entity '" + f.entity() + "'; declared: " + entities.keySet());
      }
      if (f instanceof FeatureDefinition.Aggregate a) {
        checkWindow(errors, where, a.window(), a.delay());
        FeatureDefinition.AggregateFunction fn = a.function();
        String fname = fn.name().toLowerCase(java.util.Locale.ROOT);
        if (fn == FeatureDefinition.AggregateFunction.COUNT) {
          if (a.field() != null) {
            errors.add(where + ": count counts events; drop the field");
          }
        } else if (fn == FeatureDefinition.AggregateFunction.DISTINCT_COUNT) {
          if (a.field() == null) {
            errors.add(where + ": distinct_count needs a field");
          } else if (!DISTINCT_FIELDS.contains(a.field())) {
            errors.add(
                where
                    + ": distinct_count cannot count "
                    + a.field().key()
                    + " (a payment field is needed)");
          }
        } else if (a.field() == null) {
          errors.add(where + ": " + fname + " needs field: amount");
        } else if (!NUMERIC_FIELDS.contains(a.field())) {
          errors.add(
              where + ": " + fname + " needs a numeric field (amount), got " + a.field().key());
        }
      } else if (f instanceof FeatureDefinition.LabelAggregate l) {
        checkWindow(errors, where, l.window(), l.delay());
      } else if (f instanceof FeatureDefinition.AmountToMean m) {
        checkWindow(errors, where, m.window(), m.delay());
      } else if (f instanceof FeatureDefinition.Calendar c) {
        if (c.nightStartHour() < 0
            || c.nightStartHour() > 23
            || c.nightEndHour() < 0
            || c.nightEndHour() > 23) {
          errors.add(where + ": night hours must be within 0..23");
        }
      } else if (f instanceof FeatureDefinition.Categorical c) {
        if (!ENTITY_FIELDS.contains(c.field())) {
          errors.add(
              where
                  + ": categorical needs a text field ("
                  + ENTITY_FIELDS.stream().map(Field::key).sorted().toList()
                  + "), got "
                  + c.field().key());
        }
        if (new HashSet<>(c.vocabulary()).size() != c.vocabulary().size()) {
          errors.add(where + ": vocabulary has duplicates");
        }
      }
    }
    return errors;
  }

  private static void checkWindow(
      List<String> errors, String where, Duration window, Duration delay) {
    if (window.isNegative() || window.isZero()) {
      errors.add(where + ": window must be positive");
    }
    if (delay.isNegative()) {
      errors.add(where + ": delay must not be negative");
    }
    if (window.toMillis() * 1_000_000L != window.toNanos()
        || delay.toMillis() * 1_000_000L != delay.toNanos()) {
      errors.add(where + ": window and delay must be whole milliseconds");
    }
  }

  /** The entities that at least one feature reads, in declaration order. */
  public List<String> usedEntities() {
    List<String> used = new ArrayList<>();
    for (String e : entities.keySet()) {
      if (features.stream().anyMatch(f -> e.equals(f.entity()))) {
        used.add(e);
      }
    }
    return used;
  }

  /** Column names, in order. */
  public List<String> featureNames() {
    return features.stream().map(FeatureDefinition::name).toList();
  }
}
