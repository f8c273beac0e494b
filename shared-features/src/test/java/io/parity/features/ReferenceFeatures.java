package io.parity.features;

import io.parity.events.Field;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The test oracle: an independent, brute-force reading of shared-features/README.md, written from
 * the contract alone (never from the engine) so that the parity tests compare two separate
 * implementations. It favours being obviously right over being fast: it sorts every entity's
 * observations, replays them one at a time with a plain list as state, and evaluates each feature
 * straight from the README table.
 *
 * <p>Where the README leaves room, the most literal reading is taken and marked "Reading:" below.
 */
final class ReferenceFeatures {

  /** Mean Earth radius of the README's haversine, in km. */
  static final double EARTH_RADIUS_KM = 6371.0088;

  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private ReferenceFeatures() {}

  /** Every payment's feature row, values in {@code spec.features()} order, sorted by event id. */
  static List<FeatureRow> compute(
      FeatureSpec spec, List<Arrival<PaymentEvent>> payments, List<Arrival<LabelEvent>> labels) {
    long lateness = spec.allowedLateness().toMillis();

    // tau(p) = max(t(p) + L, a(p)), or t(p) + L without an ingestion time.
    Map<String, PaymentEvent> paymentById = new LinkedHashMap<>();
    Map<String, Long> tau = new HashMap<>();
    for (Arrival<PaymentEvent> arrival : payments) {
      PaymentEvent p = arrival.value();
      if (paymentById.putIfAbsent(p.eventId(), p) != null) {
        // The README relies on unique event ids (the processing order has no other tie-break).
        throw new IllegalArgumentException("duplicate payment event id " + p.eventId());
      }
      tau.put(p.eventId(), processedAt(p.eventTimeMillis(), lateness, arrival.ingestTimeMillis()));
    }

    // rho(l) = max(max(s(l) + L, a(l)) + D, tau(x)); a label whose payment never arrives is
    // ignored.
    List<Observation> labelObservations = new ArrayList<>();
    for (Arrival<LabelEvent> arrival : labels) {
      LabelEvent l = arrival.value();
      Long paymentTau = tau.get(l.eventId());
      if (paymentTau == null) {
        continue;
      }
      long labelTau =
          processedAt(l.labelTimeMillis(), lateness, arrival.ingestTimeMillis())
              + spec.labelApplyDelay().toMillis();
      // README: a label whose processing time is more than the spec's longest retention
      // (span + max_lateness over the entities) away from its payment's is ignored.
      if (Math.abs(labelTau - paymentTau) > longestRetention(spec)) {
        continue;
      }
      long rho = Math.max(labelTau, paymentTau);
      labelObservations.add(new Observation(rho, null, l));
    }

    Map<String, double[]> values = new TreeMap<>();
    for (PaymentEvent p : paymentById.values()) {
      values.put(p.eventId(), new double[spec.features().size()]);
    }

    // Features without an entity depend on the payment alone.
    for (int i = 0; i < spec.features().size(); i++) {
      FeatureDefinition f = spec.features().get(i);
      if (f.entity() == null) {
        for (PaymentEvent p : paymentById.values()) {
          values.get(p.eventId())[i] = stateless(spec, f, p);
        }
      }
    }

    for (String entity : spec.usedEntities()) {
      replayEntity(spec, entity, paymentById, tau, labelObservations, values);
    }

    List<FeatureRow> rows = new ArrayList<>();
    values.forEach(
        (id, row) -> rows.add(new FeatureRow(id, paymentById.get(id).eventTimeMillis(), row)));
    return rows;
  }

  /** The longest {@code span + max_lateness} over the entities that features read. */
  static long longestRetention(FeatureSpec spec) {
    long longest = 0;
    for (String entity : spec.usedEntities()) {
      long span = 0;
      for (FeatureDefinition f : spec.features()) {
        Duration[] wd = entity.equals(f.entity()) ? windowAndDelay(f) : null;
        if (wd != null) {
          span = Math.max(span, wd[0].toMillis() + wd[1].toMillis());
        }
      }
      longest = Math.max(longest, span + spec.maxLateness().toMillis());
    }
    return longest;
  }

  /** {@code max(time + L, ingest)}, or {@code time + L} when the ingestion time is unknown. */
  static long processedAt(long timeMillis, long latenessMillis, long ingestTimeMillis) {
    long onTime = timeMillis + latenessMillis;
    return ingestTimeMillis == Arrival.UNKNOWN ? onTime : Math.max(onTime, ingestTimeMillis);
  }

  /**
   * One step of an entity's replay: a payment (label null) or a label (payment null), applied at
   * {@code processedAt}.
   */
  private record Observation(long processedAt, PaymentEvent payment, LabelEvent label) {
    boolean isPayment() {
      return payment != null;
    }

    String eventId() {
      return isPayment() ? payment.eventId() : label.eventId();
    }

    long labelTime() {
      // Payments never tie on the first three keys, so their value here is never compared.
      return isPayment() ? 0L : label.labelTimeMillis();
    }
  }

  /**
   * (processing time, payments before labels, event id, label time).
   *
   * <p>Reading: event ids compare with {@link String#compareTo} (UTF-16 code units; "e10" sorts
   * before "e2"), the same order the rows are returned in. The README does not order two labels of
   * the same event with the same processing and label time; the order must not depend on arrival
   * order (batch and streaming see different ones), so such labels are applied legit first, fraud
   * last: on a full tie, fraud wins. The random inputs never contain such conflicting ties.
   */
  private static final Comparator<Observation> PROCESSING_ORDER =
      Comparator.comparingLong(Observation::processedAt)
          .thenComparing(o -> o.isPayment() ? 0 : 1)
          .thenComparing(Observation::eventId)
          .thenComparingLong(Observation::labelTime)
          .thenComparing(o -> !o.isPayment() && o.label().fraud());

  /** A payment remembered by an entity and the verdict of the latest label applied to it. */
  private static final class Remembered {
    final PaymentEvent payment;
    Boolean fraud;

    Remembered(PaymentEvent payment) {
      this.payment = payment;
    }
  }

  /** Ascending (event time, event id): the order of visibility, windows and sums. */
  private static final Comparator<PaymentEvent> EVENT_ORDER =
      Comparator.comparingLong(PaymentEvent::eventTimeMillis).thenComparing(PaymentEvent::eventId);

  private static void replayEntity(
      FeatureSpec spec,
      String entity,
      Map<String, PaymentEvent> paymentById,
      Map<String, Long> tau,
      List<Observation> labelObservations,
      Map<String, double[]> values) {
    Field keyField = spec.entities().get(entity);
    List<Integer> featureIndexes = new ArrayList<>();
    for (int i = 0; i < spec.features().size(); i++) {
      if (entity.equals(spec.features().get(i).entity())) {
        featureIndexes.add(i);
      }
    }
    // Reading: span is the longest window + delay over this entity's windowed features
    // (aggregate, label_aggregate, amount_to_mean); an entity with none has span 0.
    long span = 0;
    for (int i : featureIndexes) {
      FeatureDefinition f = spec.features().get(i);
      Duration[] wd = windowAndDelay(f);
      if (wd != null) {
        span = Math.max(span, wd[0].toMillis() + wd[1].toMillis());
      }
    }
    long forgetBehind = span + spec.maxLateness().toMillis();

    Map<String, List<Observation>> observationsByKey = new HashMap<>();
    for (PaymentEvent p : paymentById.values()) {
      Object key = fieldValue(p, keyField);
      if (key == null) {
        // No history for this entity: the payment sees only itself and is not remembered.
        evaluate(spec, featureIndexes, p, List.of(), values.get(p.eventId()));
      } else {
        observationsByKey
            .computeIfAbsent(key.toString(), k -> new ArrayList<>())
            .add(new Observation(tau.get(p.eventId()), p, null));
      }
    }
    for (Observation o : labelObservations) {
      Object key = fieldValue(paymentById.get(o.eventId()), keyField);
      if (key != null) {
        observationsByKey.get(key.toString()).add(o);
      }
    }

    for (List<Observation> observations : observationsByKey.values()) {
      observations.sort(PROCESSING_ORDER);
      List<Remembered> state = new ArrayList<>();
      for (Observation o : observations) {
        if (o.isPayment()) {
          PaymentEvent e = o.payment();
          // V(e): applied, not forgotten, and strictly before e in (time, id).
          List<Remembered> visible = new ArrayList<>();
          for (Remembered r : state) {
            if (EVENT_ORDER.compare(r.payment, e) < 0) {
              visible.add(r);
            }
          }
          visible.sort((x, y) -> EVENT_ORDER.compare(x.payment, y.payment));
          evaluate(spec, featureIndexes, e, visible, values.get(e.eventId()));
          state.add(new Remembered(e));
          // After applying a payment (so never before e's own features are computed), forget
          // event times earlier than T - span - max_lateness, T being the event time of the
          // newest remembered payment (greatest (time, id)), which is always kept. Only the newest
          // is exempt: an older located payment can be forgotten while a newer unlocated one is
          // kept, and geo then finds no located predecessor.
          Remembered newest = state.get(0);
          for (Remembered r : state) {
            if (EVENT_ORDER.compare(r.payment, newest.payment) > 0) {
              newest = r;
            }
          }
          Remembered keep = newest;
          long threshold = newest.payment.eventTimeMillis() - forgetBehind;
          state.removeIf(r -> r != keep && r.payment.eventTimeMillis() < threshold);
        } else {
          // Latest applied label wins; a label for a payment no longer remembered is ignored.
          // Labels do not move the horizon (it follows payments' event times).
          for (Remembered r : state) {
            if (r.payment.eventId().equals(o.label().eventId())) {
              r.fraud = o.label().fraud();
            }
          }
        }
      }
    }
  }

  /** Window and delay of a windowed definition, or null. */
  private static Duration[] windowAndDelay(FeatureDefinition f) {
    if (f instanceof FeatureDefinition.Aggregate a) {
      return new Duration[] {a.window(), a.delay()};
    }
    if (f instanceof FeatureDefinition.LabelAggregate l) {
      return new Duration[] {l.window(), l.delay()};
    }
    if (f instanceof FeatureDefinition.AmountToMean m) {
      return new Duration[] {m.window(), m.delay()};
    }
    return null;
  }

  /** Fills this entity's feature values of {@code e} from its visible history (ascending). */
  private static void evaluate(
      FeatureSpec spec,
      List<Integer> featureIndexes,
      PaymentEvent e,
      List<Remembered> visible,
      double[] out) {
    for (int i : featureIndexes) {
      out[i] = entityFeature(spec.features().get(i), e, visible);
    }
  }

  /**
   * The payments of the window {@code (t - d - w, t - d]} in ascending (time, id) order; with
   * {@code d = 0}, {@code e} itself last (with no label: its labels are applied after it).
   */
  private static List<Remembered> window(
      PaymentEvent e, List<Remembered> visible, Duration window, Duration delay) {
    long t = e.eventTimeMillis();
    long right = t - delay.toMillis();
    long left = right - window.toMillis();
    List<Remembered> in = new ArrayList<>();
    for (Remembered r : visible) {
      long time = r.payment.eventTimeMillis();
      if (time > left && time <= right) {
        in.add(r);
      }
    }
    if (delay.isZero()) {
      in.add(new Remembered(e));
    }
    return in;
  }

  private static double entityFeature(
      FeatureDefinition f, PaymentEvent e, List<Remembered> visible) {
    if (f instanceof FeatureDefinition.Aggregate a) {
      return aggregate(a, window(e, visible, a.window(), a.delay()));
    }
    if (f instanceof FeatureDefinition.LabelAggregate l) {
      List<Remembered> in = window(e, visible, l.window(), l.delay());
      int fraud = 0;
      for (Remembered r : in) {
        if (Boolean.TRUE.equals(r.fraud)) {
          fraud++;
        }
      }
      return switch (l.function()) {
        case FRAUD_COUNT -> fraud;
        // fraud_count / count, both as doubles; 0 (never NaN) for an empty window.
        case FRAUD_RATE -> in.isEmpty() ? 0.0 : (double) fraud / (double) in.size();
      };
    }
    if (f instanceof FeatureDefinition.TimeSinceLast) {
      if (visible.isEmpty()) {
        return -1.0;
      }
      PaymentEvent last = visible.get(visible.size() - 1).payment;
      return (e.eventTimeMillis() - last.eventTimeMillis()) / 1000.0;
    }
    if (f instanceof FeatureDefinition.AmountToMean m) {
      double mean = mean(amounts(window(e, visible, m.window(), m.delay())));
      return mean == 0.0 ? 0.0 : e.amount() / mean;
    }
    if (f instanceof FeatureDefinition.Geo g) {
      return geo(g, e, visible);
    }
    throw new IllegalStateException("not an entity feature: " + f);
  }

  private static double aggregate(FeatureDefinition.Aggregate a, List<Remembered> in) {
    if (a.function() == FeatureDefinition.AggregateFunction.COUNT) {
      return in.size();
    }
    if (a.function() == FeatureDefinition.AggregateFunction.DISTINCT_COUNT) {
      // Reading: values are distinct by Java equals on the field's boxed value (strings, Long
      // event time, Double amount/coordinates); null is missing and not counted.
      Set<Object> distinct = new HashSet<>();
      for (Remembered r : in) {
        Object v = fieldValue(r.payment, a.field());
        if (v != null) {
          distinct.add(v);
        }
      }
      return distinct.size();
    }
    if (a.field() != Field.AMOUNT) {
      throw new IllegalArgumentException(a.name() + ": only amount is numeric");
    }
    double[] xs = amounts(in);
    if (xs.length == 0) {
      return 0.0;
    }
    return switch (a.function()) {
      case SUM -> sum(xs);
      case MEAN -> mean(xs);
      case MIN -> {
        double min = xs[0];
        for (double x : xs) {
          min = Math.min(min, x);
        }
        yield min;
      }
      case MAX -> {
        double max = xs[0];
        for (double x : xs) {
          max = Math.max(max, x);
        }
        yield max;
      }
      case STDDEV -> {
        // Two-pass population standard deviation: mean = sum / n first, then the squared
        // deviations summed in the same ascending order, divided by n.
        double mean = mean(xs);
        double squares = 0.0;
        for (double x : xs) {
          double dev = x - mean;
          squares += dev * dev;
        }
        yield Math.sqrt(squares / xs.length);
      }
      case COUNT, DISTINCT_COUNT -> throw new IllegalStateException("handled above");
    };
  }

  private static double[] amounts(List<Remembered> in) {
    double[] xs = new double[in.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = in.get(i).payment.amount();
    }
    return xs;
  }

  /**
   * Left to right from 0.0. Reading: the sum starts at 0.0 (this can only differ from starting at
   * the first value for -0.0, which the parser never produces).
   */
  private static double sum(double[] xs) {
    double s = 0.0;
    for (double x : xs) {
      s += x;
    }
    return s;
  }

  /** sum / n; 0 for none. */
  private static double mean(double[] xs) {
    return xs.length == 0 ? 0.0 : sum(xs) / xs.length;
  }

  private static double geo(FeatureDefinition.Geo g, PaymentEvent e, List<Remembered> visible) {
    if (!e.hasLocation()) {
      return -1.0;
    }
    PaymentEvent previous = null;
    for (int i = visible.size() - 1; i >= 0 && previous == null; i--) {
      if (visible.get(i).payment.hasLocation()) {
        previous = visible.get(i).payment;
      }
    }
    if (previous == null) {
      return -1.0;
    }
    double km = haversineKm(previous.latitude(), previous.longitude(), e.latitude(), e.longitude());
    return switch (g.kind()) {
      case DISTANCE_FROM_PREVIOUS_KM -> km;
      case SPEED_FROM_PREVIOUS_KMH -> {
        // Reading: elapsed hours = (t - t') / 3_600_000.0 with t' the time of the payment the
        // distance is measured from; the floor is 1.0 / 60.0.
        double hours = (e.eventTimeMillis() - previous.eventTimeMillis()) / MILLIS_PER_HOUR;
        yield km / Math.max(hours, 1.0 / 60.0);
      }
    };
  }

  /**
   * The README's haversine, exactly as written, from the previous point (1) to the current one (2):
   * {@code a = s1*s1 + cos(phi1)*cos(phi2)*s2*s2} (evaluated left to right) with {@code s1 =
   * sin(toRadians(lat2 - lat1) / 2)}, {@code s2 = sin(toRadians(lon2 - lon1) / 2)}, {@code km = 2 *
   * R * asin(sqrt(min(1, a)))}.
   */
  static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double phi1 = StrictMath.toRadians(lat1);
    double phi2 = StrictMath.toRadians(lat2);
    double s1 = StrictMath.sin(StrictMath.toRadians(lat2 - lat1) / 2);
    double s2 = StrictMath.sin(StrictMath.toRadians(lon2 - lon1) / 2);
    double a = s1 * s1 + StrictMath.cos(phi1) * StrictMath.cos(phi2) * s2 * s2;
    return 2 * EARTH_RADIUS_KM * StrictMath.asin(StrictMath.sqrt(Math.min(1, a)));
  }

  private static double stateless(FeatureSpec spec, FeatureDefinition f, PaymentEvent p) {
    if (f instanceof FeatureDefinition.Calendar c) {
      ZonedDateTime local = Instant.ofEpochMilli(p.eventTimeMillis()).atZone(spec.timeZone());
      int hour = local.getHour();
      DayOfWeek day = local.getDayOfWeek();
      return switch (c.kind()) {
        case WEEKEND -> day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 1.0 : 0.0;
        case NIGHT -> inNight(hour, c.nightStartHour(), c.nightEndHour()) ? 1.0 : 0.0;
        case HOUR_OF_DAY -> hour;
        case DAY_OF_WEEK -> day.getValue();
      };
    }
    if (f instanceof FeatureDefinition.Categorical c) {
      Object v = fieldValue(p, c.field());
      if (v != null && !(v instanceof String)) {
        // Reading: categorical reads a text field; the README gives no index for numbers.
        throw new IllegalArgumentException(c.name() + ": " + c.field() + " is not a text field");
      }
      return v == null ? 0.0 : c.vocabulary().indexOf(v) + 1;
    }
    throw new IllegalStateException("not an entity-free feature: " + f);
  }

  /**
   * {@code [start, end)}, wrapping midnight when start > end. Reading: start == end is the empty
   * interval (never night), as {@code [h, h)} literally is.
   */
  static boolean inNight(int hour, int start, int end) {
    if (start < end) {
      return hour >= start && hour < end;
    }
    if (start > end) {
      return hour >= start || hour < end;
    }
    return false;
  }

  /** A payment's value of a field; null when missing. */
  static Object fieldValue(PaymentEvent p, Field field) {
    return switch (field) {
      case EVENT_ID -> p.eventId();
      case EVENT_TIME -> p.eventTimeMillis();
      case CARD_ID -> p.cardId();
      case MERCHANT_ID -> p.merchantId();
      case AMOUNT -> p.amount();
      case CURRENCY -> p.currency();
      case MERCHANT_CATEGORY -> p.merchantCategory();
      case LATITUDE -> p.latitude();
      case LONGITUDE -> p.longitude();
      case CHANNEL -> p.channel();
      case LABEL, LABEL_TIME ->
          throw new IllegalArgumentException(field + " is a label field, not a payment field");
    };
  }
}
