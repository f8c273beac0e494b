package io.parity.features;

import io.parity.events.Field;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One feature of a {@link FeatureSpec}: what it computes, over which entity and window. Every kind
 * yields one double per event; the exact semantics are in shared-features/README.md.
 */
public sealed interface FeatureDefinition extends java.io.Serializable {

  /** The column name of the feature. */
  String name();

  /** The entity (a key of {@link FeatureSpec#entities()}) whose history it reads, or null. */
  String entity();

  /** Aggregate functions over an entity's window. */
  enum AggregateFunction {
    COUNT,
    SUM,
    MEAN,
    MIN,
    MAX,
    STDDEV,
    DISTINCT_COUNT
  }

  /** Functions over the labels of an entity's window known so far. */
  enum LabelFunction {
    FRAUD_COUNT,
    FRAUD_RATE
  }

  /** Calendar facts of the event time, in the spec's time zone. */
  enum CalendarKind {
    WEEKEND,
    NIGHT,
    HOUR_OF_DAY,
    DAY_OF_WEEK
  }

  /** Movement relative to the entity's previous located event. */
  enum GeoKind {
    DISTANCE_FROM_PREVIOUS_KM,
    SPEED_FROM_PREVIOUS_KMH
  }

  /**
   * {@code function} of {@code field} (null: of the constant 1) over the entity's events with time
   * in {@code (t - delay - window, t - delay]}.
   */
  record Aggregate(
      String name,
      String entity,
      AggregateFunction function,
      Field field,
      Duration window,
      Duration delay)
      implements FeatureDefinition {
    public Aggregate {
      Objects.requireNonNull(name);
      Objects.requireNonNull(entity);
      Objects.requireNonNull(function);
      Objects.requireNonNull(window);
      Objects.requireNonNull(delay);
    }
  }

  /** Fraud count or rate over the entity's window, counting only labels already known. */
  record LabelAggregate(
      String name, String entity, LabelFunction function, Duration window, Duration delay)
      implements FeatureDefinition {
    public LabelAggregate {
      Objects.requireNonNull(name);
      Objects.requireNonNull(entity);
      Objects.requireNonNull(function);
      Objects.requireNonNull(window);
      Objects.requireNonNull(delay);
    }
  }

  /** Seconds since the entity's previous event; -1 when there is none. */
  record TimeSinceLast(String name, String entity) implements FeatureDefinition {
    public TimeSinceLast {
      Objects.requireNonNull(name);
      Objects.requireNonNull(entity);
    }
  }

  /** The amount divided by the entity's mean amount over the window (0 when the mean is 0). */
  record AmountToMean(String name, String entity, Duration window, Duration delay)
      implements FeatureDefinition {
    public AmountToMean {
      Objects.requireNonNull(name);
      Objects.requireNonNull(entity);
      Objects.requireNonNull(window);
      Objects.requireNonNull(delay);
    }
  }

  /** A calendar fact of the event time; night is {@code [nightStartHour, nightEndHour)}. */
  record Calendar(String name, CalendarKind kind, int nightStartHour, int nightEndHour)
      implements FeatureDefinition {
    public Calendar {
      Objects.requireNonNull(name);
      Objects.requireNonNull(kind);
    }

    @Override
    public String entity() {
      return null;
    }
  }

  /** Distance (km) or implied speed (km/h) from the entity's previous located event; -1 if none. */
  record Geo(String name, String entity, GeoKind kind) implements FeatureDefinition {
    public Geo {
      Objects.requireNonNull(name);
      Objects.requireNonNull(entity);
      Objects.requireNonNull(kind);
    }
  }

  /** The 1-based index of a text field's value in a frozen vocabulary; 0 for unknown or missing. */
  record Categorical(String name, Field field, List<String> vocabulary)
      implements FeatureDefinition {
    public Categorical {
      Objects.requireNonNull(name);
      Objects.requireNonNull(field);
      vocabulary = List.copyOf(vocabulary);
    }

    @Override
    public String entity() {
      return null;
    }
  }
}
