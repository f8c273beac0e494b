package io.parity.features;

import io.parity.events.Field;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.FeatureDefinition.Aggregate;
import io.parity.features.FeatureDefinition.AmountToMean;
import io.parity.features.FeatureDefinition.Calendar;
import io.parity.features.FeatureDefinition.Categorical;
import io.parity.features.FeatureDefinition.Geo;
import io.parity.features.FeatureDefinition.LabelAggregate;
import io.parity.features.FeatureDefinition.TimeSinceLast;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pure feature function of a spec: {@code (entity history, observation) -> (history', values)}.
 * The only code that computes a feature value; the batch replay and the streaming transforms both
 * call it in the processing order defined in README.md. Stateless and thread-safe itself; each
 * {@link EntityHistory} belongs to one caller.
 */
public final class FeatureEngine implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Mean Earth radius (IUGG), km. */
  static final double EARTH_RADIUS_KM = 6371.0088;

  private final FeatureSpec spec;
  private final long allowedLatenessMillis;
  private final long labelApplyDelayMillis;
  private final List<String> entities;
  private final Map<String, int[]> featureIndexesByEntity;
  private final Map<String, Long> retentionByEntity;
  private final int[] eventFeatureIndexes;
  private final Map<Integer, Map<String, Integer>> vocabularies;

  public FeatureEngine(FeatureSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.allowedLatenessMillis = spec.allowedLateness().toMillis();
    this.labelApplyDelayMillis = spec.labelApplyDelay().toMillis();
    this.entities = List.copyOf(spec.usedEntities());
    this.featureIndexesByEntity = new HashMap<>();
    this.retentionByEntity = new HashMap<>();
    List<FeatureDefinition> fs = spec.features();
    for (String entity : entities) {
      List<Integer> idx = new ArrayList<>();
      long span = 0;
      for (int i = 0; i < fs.size(); i++) {
        FeatureDefinition f = fs.get(i);
        if (entity.equals(f.entity())) {
          idx.add(i);
          span = Math.max(span, span(f));
        }
      }
      featureIndexesByEntity.put(entity, idx.stream().mapToInt(Integer::intValue).toArray());
      retentionByEntity.put(entity, span + spec.maxLateness().toMillis());
    }
    List<Integer> eventIdx = new ArrayList<>();
    for (int i = 0; i < fs.size(); i++) {
      if (fs.get(i).entity() == null) {
        eventIdx.add(i);
      }
    }
    this.eventFeatureIndexes = eventIdx.stream().mapToInt(Integer::intValue).toArray();
    this.vocabularies = new HashMap<>();
    for (int i = 0; i < fs.size(); i++) {
      if (fs.get(i) instanceof Categorical cat) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < cat.vocabulary().size(); k++) {
          index.put(cat.vocabulary().get(k), k + 1);
        }
        vocabularies.put(i, index);
      }
    }
  }

  private static long span(FeatureDefinition f) {
    if (f instanceof Aggregate a) {
      return a.window().toMillis() + a.delay().toMillis();
    }
    if (f instanceof LabelAggregate l) {
      return l.window().toMillis() + l.delay().toMillis();
    }
    if (f instanceof AmountToMean m) {
      return m.window().toMillis() + m.delay().toMillis();
    }
    return 0;
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** The entities some feature reads, in spec order: one keyed stage each. */
  public List<String> entities() {
    return entities;
  }

  /** How far behind an entity's newest payment (in event time) it remembers payments. */
  public long maxRetentionMillis() {
    return retentionByEntity.values().stream().mapToLong(Long::longValue).max().orElse(0L);
  }

  public int featureCount() {
    return spec.features().size();
  }

  /** The payment's key for {@code entity}, or null when the field is missing. */
  public String entityKey(String entity, PaymentEvent e) {
    return EventFields.text(spec.entities().get(entity), e);
  }

  /** When a payment is applied: {@code max(t + L, a)}, or {@code t + L} with no ingest time. */
  public long processingTime(long eventTimeMillis, long ingestTimeMillis) {
    long onTime = eventTimeMillis + allowedLatenessMillis;
    return ingestTimeMillis == Arrival.UNKNOWN ? onTime : Math.max(onTime, ingestTimeMillis);
  }

  /**
   * When a label is ready, before its payment is considered: {@code max(s + L, a) + D}, or {@code s
   * + L + D} with no ingest time ({@code D}: the spec's label apply delay).
   */
  public long labelReadyTime(long labelTimeMillis, long ingestTimeMillis) {
    return processingTime(labelTimeMillis, ingestTimeMillis) + labelApplyDelayMillis;
  }

  /** When a label is applied: {@code max(labelReadyTime, τ(payment))}. */
  public long labelProcessingTime(
      long labelTimeMillis, long ingestTimeMillis, long paymentProcessingTime) {
    return Math.max(labelReadyTime(labelTimeMillis, ingestTimeMillis), paymentProcessingTime);
  }

  /**
   * Whether a label is joined to its payment: only when their processing times are at most the
   * longest retention apart, so that streaming can forget a payment's label join state.
   */
  public boolean labelJoinable(long labelProcessingTime, long paymentProcessingTime) {
    return Math.abs(labelProcessingTime - paymentProcessingTime) <= maxRetentionMillis();
  }

  /** Writes the features that need no history (calendar, categorical) into {@code out}. */
  public void computeEventFeatures(PaymentEvent e, double[] out) {
    List<FeatureDefinition> fs = spec.features();
    ZonedDateTime local = null;
    for (int i : eventFeatureIndexes) {
      FeatureDefinition f = fs.get(i);
      if (f instanceof Calendar c) {
        if (local == null) {
          local = Instant.ofEpochMilli(e.eventTimeMillis()).atZone(spec.timeZone());
        }
        out[i] = calendar(c, local);
      } else if (f instanceof Categorical c) {
        out[i] = categoryIndex(i, c, e);
      } else {
        throw new IllegalStateException("not an event feature: " + f);
      }
    }
  }

  /**
   * Applies a payment to its entity's history: writes the entity's features for it into {@code
   * out}, then remembers it and forgets what fell out of retention.
   *
   * @param history the entity's history, or null when the payment has no key for this entity (it
   *     then sees only itself and is not remembered)
   * @param processingTime the payment's {@link #processingTime}
   */
  public void applyPayment(
      String entity, EntityHistory history, PaymentEvent e, long processingTime, double[] out) {
    EntityHistory h = history == null ? new EntityHistory() : history;
    int pos = h.lowerBound(e.eventTimeMillis(), e.eventId());
    List<FeatureDefinition> fs = spec.features();
    for (int i : featureIndexesByEntity.get(entity)) {
      out[i] = compute(fs.get(i), h, pos, e);
    }
    if (history != null) {
      if (pos < h.size() && h.get(pos).event().eventId().equals(e.eventId())) {
        throw new IllegalArgumentException(
            "payment " + e.eventId() + " was already applied to " + entity + " (duplicate id)");
      }
      h.insert(pos, e);
      h.evictOlderThan(retentionByEntity.get(entity));
    }
  }

  /** Applies a label to the entity's history (ignored if its payment is not remembered). */
  public boolean applyLabel(
      String entity, EntityHistory history, LabelEvent l, long processingTime) {
    EntityHistory.Entry entry = history.byId(l.eventId());
    boolean applied = entry != null;
    if (applied) {
      entry.label = l.fraud() ? EntityHistory.FRAUD : EntityHistory.LEGIT;
    }
    return applied;
  }

  private double compute(FeatureDefinition f, EntityHistory h, int pos, PaymentEvent e) {
    if (f instanceof Aggregate a) {
      return aggregate(a, h, pos, e);
    }
    if (f instanceof LabelAggregate l) {
      return labelAggregate(l, h, pos, e);
    }
    if (f instanceof AmountToMean m) {
      double mean = mean(h, pos, e, m.window().toMillis(), m.delay().toMillis());
      return mean > 0 ? e.amount() / mean : 0.0;
    }
    if (f instanceof TimeSinceLast) {
      return pos == 0
          ? -1.0
          : (e.eventTimeMillis() - h.get(pos - 1).event().eventTimeMillis()) / 1000.0;
    }
    if (f instanceof Geo g) {
      return geo(g, h, pos, e);
    }
    throw new IllegalStateException(f.name() + " is not an entity feature");
  }

  /** First index of the window's range in history: entries with time > t - d - w. */
  private static int windowStart(EntityHistory h, int end, PaymentEvent e, long w, long d) {
    return h.firstAfter(e.eventTimeMillis() - d - w, end);
  }

  /**
   * End (exclusive) of the window's range: {@code pos} when d = 0, else entries with time <= t - d.
   */
  private static int windowEnd(EntityHistory h, int pos, PaymentEvent e, long d) {
    return d == 0 ? pos : h.firstAfter(e.eventTimeMillis() - d, pos);
  }

  private static double aggregate(Aggregate a, EntityHistory h, int pos, PaymentEvent e) {
    long w = a.window().toMillis();
    long d = a.delay().toMillis();
    int end = windowEnd(h, pos, e, d);
    int start = windowStart(h, end, e, w, d);
    boolean self = d == 0;
    long n = (end - start) + (self ? 1 : 0);
    switch (a.function()) {
      case COUNT -> {
        return n;
      }
      case DISTINCT_COUNT -> {
        Set<String> seen = new HashSet<>();
        for (int i = start; i < end; i++) {
          addValue(seen, a.field(), h.get(i).event());
        }
        if (self) {
          addValue(seen, a.field(), e);
        }
        return seen.size();
      }
      default -> {}
    }
    if (n == 0) {
      return 0.0;
    }
    double sum = 0.0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = start; i < end; i++) {
      double x = h.get(i).event().amount();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    if (self) {
      sum += e.amount();
      min = Math.min(min, e.amount());
      max = Math.max(max, e.amount());
    }
    return switch (a.function()) {
      case SUM -> sum;
      case MEAN -> sum / n;
      case MIN -> min;
      case MAX -> max;
      case STDDEV -> {
        double mean = sum / n;
        double squares = 0.0;
        for (int i = start; i < end; i++) {
          double dx = h.get(i).event().amount() - mean;
          squares += dx * dx;
        }
        if (self) {
          double dx = e.amount() - mean;
          squares += dx * dx;
        }
        yield Math.sqrt(squares / n);
      }
      default -> throw new IllegalStateException(a.function().name());
    };
  }

  private static void addValue(Set<String> seen, Field field, PaymentEvent e) {
    String v = EventFields.distinctValue(field, e);
    if (v != null) {
      seen.add(v);
    }
  }

  private static double mean(EntityHistory h, int pos, PaymentEvent e, long w, long d) {
    int end = windowEnd(h, pos, e, d);
    int start = windowStart(h, end, e, w, d);
    long n = (end - start) + (d == 0 ? 1 : 0);
    if (n == 0) {
      return 0.0;
    }
    double sum = 0.0;
    for (int i = start; i < end; i++) {
      sum += h.get(i).event().amount();
    }
    if (d == 0) {
      sum += e.amount();
    }
    return sum / n;
  }

  private static double labelAggregate(LabelAggregate l, EntityHistory h, int pos, PaymentEvent e) {
    long w = l.window().toMillis();
    long d = l.delay().toMillis();
    int end = windowEnd(h, pos, e, d);
    int start = windowStart(h, end, e, w, d);
    // The current payment has no label yet: it only adds to the count (when d = 0).
    long n = (end - start) + (d == 0 ? 1 : 0);
    long frauds = 0;
    for (int i = start; i < end; i++) {
      if (h.get(i).label() == EntityHistory.FRAUD) {
        frauds++;
      }
    }
    return switch (l.function()) {
      case FRAUD_COUNT -> frauds;
      case FRAUD_RATE -> n == 0 ? 0.0 : (double) frauds / n;
    };
  }

  private static double geo(Geo g, EntityHistory h, int pos, PaymentEvent e) {
    if (!e.hasLocation()) {
      return -1.0;
    }
    for (int i = pos - 1; i >= 0; i--) {
      PaymentEvent p = h.get(i).event();
      if (p.hasLocation()) {
        double km = haversineKm(p.latitude(), p.longitude(), e.latitude(), e.longitude());
        if (g.kind() == FeatureDefinition.GeoKind.DISTANCE_FROM_PREVIOUS_KM) {
          return km;
        }
        double hours = (e.eventTimeMillis() - p.eventTimeMillis()) / 3_600_000.0;
        return km / Math.max(hours, 1.0 / 60.0);
      }
    }
    return -1.0;
  }

  /** Great-circle distance; StrictMath so every JVM and runner gives the same bits. */
  static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double phi1 = StrictMath.toRadians(lat1);
    double phi2 = StrictMath.toRadians(lat2);
    double sinDPhi = StrictMath.sin(StrictMath.toRadians(lat2 - lat1) / 2);
    double sinDLambda = StrictMath.sin(StrictMath.toRadians(lon2 - lon1) / 2);
    double a =
        sinDPhi * sinDPhi + StrictMath.cos(phi1) * StrictMath.cos(phi2) * sinDLambda * sinDLambda;
    return 2 * EARTH_RADIUS_KM * StrictMath.asin(StrictMath.sqrt(Math.min(1.0, a)));
  }

  private static double calendar(Calendar c, ZonedDateTime local) {
    return switch (c.kind()) {
      case WEEKEND ->
          local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY
              ? 1.0
              : 0.0;
      case NIGHT -> {
        int hour = local.getHour();
        boolean night =
            c.nightStartHour() <= c.nightEndHour()
                ? hour >= c.nightStartHour() && hour < c.nightEndHour()
                : hour >= c.nightStartHour() || hour < c.nightEndHour();
        yield night ? 1.0 : 0.0;
      }
      case HOUR_OF_DAY -> local.getHour();
      case DAY_OF_WEEK -> local.getDayOfWeek().getValue();
    };
  }

  private double categoryIndex(int featureIndex, Categorical c, PaymentEvent e) {
    String value = EventFields.text(c.field(), e);
    return value == null ? 0.0 : vocabularies.get(featureIndex).getOrDefault(value, 0);
  }
}
