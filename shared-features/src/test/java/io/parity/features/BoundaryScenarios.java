package io.parity.features;

import static io.parity.features.ReplayInput.DAY;
import static io.parity.features.ReplayInput.HOUR;
import static io.parity.features.ReplayInput.MINUTE;
import static io.parity.features.ReplayInput.MONDAY;
import static io.parity.features.ReplayInput.SECOND;
import static io.parity.features.ReplayInput.label;
import static io.parity.features.ReplayInput.pay;
import static io.parity.features.ReplayInput.payments;
import static io.parity.features.ReplayInput.spec;

import io.parity.events.Field;
import io.parity.features.FeatureDefinition.Aggregate;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureDefinition.AmountToMean;
import io.parity.features.FeatureDefinition.Calendar;
import io.parity.features.FeatureDefinition.CalendarKind;
import io.parity.features.FeatureDefinition.Categorical;
import io.parity.features.FeatureDefinition.Geo;
import io.parity.features.FeatureDefinition.GeoKind;
import io.parity.features.FeatureDefinition.LabelAggregate;
import io.parity.features.FeatureDefinition.LabelFunction;
import io.parity.features.FeatureDefinition.TimeSinceLast;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * Hand-written inputs at the edges of the README contract. {@link ReferenceFeaturesTest} checks the
 * oracle against hand-computed numbers for each; {@link EngineMatchesReferenceTest} checks the
 * engine against the oracle on the same inputs. The expected numbers live with the tests; the
 * comments here say what each input probes.
 */
final class BoundaryScenarios {

  static final long T0 = MONDAY;

  static final double PARIS_LAT = 48.8566;
  static final double PARIS_LON = 2.3522;
  static final double LONDON_LAT = 51.5074;
  static final double LONDON_LON = -0.1278;

  private BoundaryScenarios() {}

  static List<ReplayInput> all() {
    return List.of(
        windowEdges(),
        delayedWindow(),
        currentEventIncluded(),
        labelsKnownOnlyAfterProcessing(),
        labelBeforePayment(),
        latestLabelWins(),
        latePayment(),
        latePaymentSeesLabelsProcessedBeforeIt(),
        labelTimedBeforeItsPayment(),
        labelTimedAfterTheWindow(),
        latestAppliedLabelJustBeforeALatePayment(),
        lateHorizonWithAllowedLateness(),
        evictionTruncatesVeryLatePayment(HOUR),
        evictionTruncatesVeryLatePayment(4 * HOUR),
        horizonFollowsEventTime(),
        geoSeesOnlyRetainedPayments(0),
        geoSeesOnlyRetainedPayments(HOUR),
        geo(),
        calendar(),
        categoricalAndMissingEntity(),
        distinctCount(),
        distinctCountOfNumbers());
  }

  static Aggregate agg(
      String name, String entity, AggregateFunction fn, Field field, long w, long d) {
    return new Aggregate(name, entity, fn, field, Duration.ofMillis(w), Duration.ofMillis(d));
  }

  static Aggregate count(String name, String entity, long w, long d) {
    return agg(name, entity, AggregateFunction.COUNT, null, w, d);
  }

  static Aggregate ofAmount(String name, String entity, AggregateFunction fn, long w, long d) {
    return agg(name, entity, fn, Field.AMOUNT, w, d);
  }

  static LabelAggregate labels(String name, String entity, LabelFunction fn, long w, long d) {
    return new LabelAggregate(name, entity, fn, Duration.ofMillis(w), Duration.ofMillis(d));
  }

  static AmountToMean toMean(String name, String entity, long w, long d) {
    return new AmountToMean(name, entity, Duration.ofMillis(w), Duration.ofMillis(d));
  }

  private static ReplayInput input(
      String name,
      FeatureSpec spec,
      List<Arrival<io.parity.events.PaymentEvent>> payments,
      List<Arrival<io.parity.events.LabelEvent>> labels) {
    return new ReplayInput(name, T0, spec, payments, labels);
  }

  /**
   * Features count_1h, sum_1h, since_last on card. a is exactly 1h before b and c (outside); b and
   * c share a timestamp, so c (larger id) sees b and b does not see c; z is another card.
   */
  static ReplayInput windowEdges() {
    return input(
        "window edges",
        spec(
            0,
            0,
            count("count_1h", "card", HOUR, 0),
            ofAmount("sum_1h", "card", AggregateFunction.SUM, HOUR, 0),
            new TimeSinceLast("since_last", "card")),
        payments(
            pay("a", T0).amount(1),
            pay("b", T0 + HOUR).amount(2),
            pay("c", T0 + HOUR).amount(4),
            pay("z", T0 + 30 * MINUTE).card("c2").amount(100)),
        List.of());
  }

  /**
   * Every amount aggregate over (t - 90m, t - 30m]: the right end t - d is in, the left end out, e
   * itself out; p1's window is empty.
   */
  static ReplayInput delayedWindow() {
    long w = HOUR;
    long d = 30 * MINUTE;
    return input(
        "delayed window",
        spec(
            0,
            0,
            count("count", "card", w, d),
            ofAmount("sum", "card", AggregateFunction.SUM, w, d),
            ofAmount("mean", "card", AggregateFunction.MEAN, w, d),
            ofAmount("min", "card", AggregateFunction.MIN, w, d),
            ofAmount("max", "card", AggregateFunction.MAX, w, d),
            ofAmount("stddev", "card", AggregateFunction.STDDEV, w, d)),
        payments(
            pay("p1", T0).amount(1),
            pay("p2", T0 + 30 * MINUTE).amount(2),
            pay("p3", T0 + 60 * MINUTE).amount(4),
            pay("p4", T0 + 90 * MINUTE).amount(8)),
        List.of());
  }

  /**
   * With d = 0 the current event is in its own window (mean, stddev, min, max, amount_to_mean);
   * with d > 0 it is not. q3 has amount 0 (mean 0: amount_to_mean 0, not NaN).
   */
  static ReplayInput currentEventIncluded() {
    return input(
        "current event included",
        spec(
            0,
            0,
            ofAmount("mean_1h", "card", AggregateFunction.MEAN, HOUR, 0),
            ofAmount("stddev_1h", "card", AggregateFunction.STDDEV, HOUR, 0),
            ofAmount("min_1h", "card", AggregateFunction.MIN, HOUR, 0),
            ofAmount("max_1h", "card", AggregateFunction.MAX, HOUR, 0),
            toMean("to_mean_1h", "card", HOUR, 0),
            toMean("to_mean_delayed", "card", HOUR, HOUR),
            count("count_delayed", "card", HOUR, HOUR)),
        payments(
            pay("q1", T0).amount(1),
            pay("q2", T0 + MINUTE).amount(3),
            pay("q3", T0 + 2 * MINUTE).card("c2").amount(0),
            pay("q4", T0 + 2 * HOUR).amount(5)),
        List.of());
  }

  /**
   * Merchant fraud features with L = 0. p1's label is processed at +3h (between p2 and p3); p2's
   * label is processed at +4h, exactly p3's processing time, and payments go first, so p3 does not
   * see it. The label of "ghost" has no payment and is ignored.
   */
  static ReplayInput labelsKnownOnlyAfterProcessing() {
    return input(
        "labels known only after their processing time",
        spec(
            0,
            0,
            labels("fraud_count", "merchant", LabelFunction.FRAUD_COUNT, DAY, 0),
            labels("fraud_rate", "merchant", LabelFunction.FRAUD_RATE, DAY, 0),
            labels("fraud_rate_delayed", "merchant", LabelFunction.FRAUD_RATE, DAY, HOUR),
            count("count", "merchant", DAY, 0)),
        payments(
            pay("p1", T0).card("c1").ingest(T0),
            pay("p2", T0 + 2 * HOUR).card("c2").ingest(T0 + 2 * HOUR),
            pay("p3", T0 + 4 * HOUR).card("c3").ingest(T0 + 4 * HOUR),
            pay("p4", T0 + 5 * HOUR).card("c4").ingest(T0 + 5 * HOUR)),
        List.of(
            label("p1", true, T0 + 3 * HOUR),
            label("p2", true, T0 + 4 * HOUR, T0 + 4 * HOUR),
            label("ghost", true, T0 + HOUR)));
  }

  /**
   * r5 is late (t = +1h, arrives +3h); its label arrives at +2h30m, before r5, and is applied right
   * after it (rho = tau(r5) = +3h). r4 is on time with tau = +3h too: by id r4 goes before r5, so
   * r4 does not see r5, and r5 does not see r4 (later event time).
   */
  static ReplayInput labelBeforePayment() {
    return input(
        "label arriving before its payment",
        spec(
            0,
            0,
            labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, DAY, 0),
            count("count", "card", DAY, 0)),
        payments(
            pay("r1", T0).ingest(T0),
            pay("r4", T0 + 3 * HOUR).ingest(T0 + 3 * HOUR),
            pay("r5", T0 + HOUR).ingest(T0 + 3 * HOUR),
            pay("r6", T0 + 4 * HOUR).ingest(T0 + 4 * HOUR)),
        List.of(label("r5", true, T0 + 2 * HOUR, T0 + 2 * HOUR + 30 * MINUTE)));
  }

  /**
   * Five labels of k1, applied in processing order lb (+2h, legit), la (+3h, fraud: label time +1h
   * but it arrived at +3h), lc (+5h, fraud), ld (+6h, legit), then le and lf both at +8h, ordered
   * by label time: le (legit) before lf (fraud). k2..k8 probe k1's verdict in between.
   */
  static ReplayInput latestLabelWins() {
    return input(
        "latest applied label wins",
        spec(0, 0, labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, DAY, 0)),
        payments(
            pay("k1", T0).ingest(T0),
            pay("k2", T0 + HOUR + 30 * MINUTE),
            pay("k3", T0 + 2 * HOUR + 30 * MINUTE),
            pay("k4", T0 + 4 * HOUR),
            pay("k5", T0 + 5 * HOUR),
            pay("k6", T0 + 5 * HOUR + 30 * MINUTE),
            pay("k7", T0 + 7 * HOUR),
            pay("k8", T0 + 9 * HOUR)),
        List.of(
            label("k1", true, T0 + HOUR, T0 + 3 * HOUR),
            label("k1", false, T0 + 2 * HOUR),
            label("k1", true, T0 + 5 * HOUR),
            label("k1", false, T0 + 6 * HOUR),
            label("k1", false, T0 + 7 * HOUR + 30 * MINUTE, T0 + 8 * HOUR),
            label("k1", true, T0 + 8 * HOUR)));
  }

  /**
   * L = 10m. Processing order p1 (+10m), p2 (+15m, no ingest time), p4 (+25m), pLate (t = +2m,
   * arrives +30m), p3 (+35m). pLate sees only p1; p2 and p4 never see pLate; p3 sees all.
   */
  static ReplayInput latePayment() {
    return input(
        "late payment",
        spec(
            10 * MINUTE,
            HOUR,
            count("count_1h", "card", HOUR, 0),
            new TimeSinceLast("since_last", "card")),
        payments(
            pay("p1", T0).ingest(T0 + MINUTE),
            pay("p2", T0 + 5 * MINUTE),
            pay("p3", T0 + 25 * MINUTE).ingest(T0 + 25 * MINUTE),
            pay("p4", T0 + 15 * MINUTE).ingest(T0 + 20 * MINUTE),
            pay("pLate", T0 + 2 * MINUTE).ingest(T0 + 30 * MINUTE)),
        List.of());
  }

  /**
   * L = 0. x1's fraud label is processed at +1m. xLate (t = +30s) arrives at +2m, after the label,
   * so it sees x1 as fraud although the label came after xLate's event time; x2 (on time, +3m) sees
   * x1 fraud and xLate unlabeled.
   */
  static ReplayInput latePaymentSeesLabelsProcessedBeforeIt() {
    return input(
        "late payment sees labels processed before it",
        spec(
            0,
            0,
            labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, HOUR, 0),
            labels("fraud_rate", "card", LabelFunction.FRAUD_RATE, HOUR, 0)),
        payments(
            pay("x1", T0).ingest(T0),
            pay("xLate", T0 + 30 * SECOND).ingest(T0 + 2 * MINUTE),
            pay("x2", T0 + 3 * MINUTE)),
        List.of(label("x1", true, T0 + MINUTE)));
  }

  /**
   * L = 0, span 1m. a's label carries a label time 5 minutes before a itself (clock skew): it is
   * processed at rho = max(s + L, tau(a)) = tau(a), right after a, and a is still remembered, so b
   * (+30s) sees a as fraud. Nothing in the README discards a label for its label time.
   */
  static ReplayInput labelTimedBeforeItsPayment() {
    return input(
        "label timed before its payment",
        spec(0, 0, labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, MINUTE, 0)),
        payments(pay("a", T0), pay("b", T0 + 30 * SECOND)),
        List.of(label("a", true, T0 - 5 * MINUTE)));
  }

  /**
   * L = 0, span 1m. e0's label has label time +2m (beyond every window of the card) and is
   * processed at +2m; e1 (t = 0, same time as e0, larger id) arrives at +2m + 1ms, after the label,
   * so it sees e0 as fraud. Label times only decide rho; they neither move the horizon nor expire.
   */
  static ReplayInput labelTimedAfterTheWindow() {
    return input(
        "label timed after the window",
        spec(0, 0, labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, MINUTE, 0)),
        payments(pay("e0", T0), pay("e1", T0).ingest(T0 + 2 * MINUTE + 1)),
        List.of(label("e0", true, T0 + 2 * MINUTE)));
  }

  /**
   * L = 0, fraud_count over (t - 31m, t - 30m]. e5 (+2m) gets a fraud label applied at +2m30s and
   * then a legit label (label time +2m, arrived +34m) applied at +34m; e10 (t = +32m) arrives at
   * +34m + 1ms, so the latest applied label of e5 is legit when e10 is applied.
   */
  static ReplayInput latestAppliedLabelJustBeforeALatePayment() {
    return input(
        "latest applied label just before a late payment",
        spec(0, 0, labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, MINUTE, 30 * MINUTE)),
        payments(
            pay("e5", T0 + 2 * MINUTE), pay("e10", T0 + 32 * MINUTE).ingest(T0 + 34 * MINUTE + 1)),
        List.of(
            label("e5", false, T0 + 2 * MINUTE, T0 + 34 * MINUTE),
            label("e5", true, T0 + 2 * MINUTE + 30 * SECOND)));
  }

  /**
   * L = 1m, max_lateness 0, span 10m. After y2 (t = +15m) the card forgets event times earlier than
   * +15m - 10m = +5m, so y1 (+4m) is gone when yLate (t = +4m30s, arriving +20m) is applied: L is
   * not part of the horizon.
   */
  static ReplayInput lateHorizonWithAllowedLateness() {
    return input(
        "horizon without allowed lateness",
        spec(MINUTE, 0, count("count_10m", "card", 10 * MINUTE, 0)),
        payments(
            pay("y1", T0 + 4 * MINUTE),
            pay("y2", T0 + 15 * MINUTE),
            pay("yLate", T0 + 4 * MINUTE + 30 * SECOND).ingest(T0 + 20 * MINUTE)),
        List.of());
  }

  /**
   * L = 0, span 1h. After p3 (t = +3h) the entity forgets event times earlier than +3h - 1h -
   * max_lateness. pLate (t = +45m) arrives at +4h: with max_lateness 1h, p1 and p2 are forgotten
   * and its window is truncated to itself; with 4h nothing is forgotten.
   */
  static ReplayInput evictionTruncatesVeryLatePayment(long maxLateness) {
    return input(
        "eviction with max_lateness " + Duration.ofMillis(maxLateness),
        spec(
            0,
            maxLateness,
            count("count_1h", "card", HOUR, 0),
            new TimeSinceLast("since_last", "card")),
        payments(
            pay("p1", T0),
            pay("p2", T0 + 30 * MINUTE),
            pay("p3", T0 + 3 * HOUR),
            pay("pLate", T0 + 45 * MINUTE).ingest(T0 + 4 * HOUR)),
        List.of());
  }

  /**
   * L = 0, max_lateness 0. The horizon follows event time, not arrival: p2 (t = +30m) and p3 (t =
   * +20m) arrive hours later, yet the card (span 1h) still remembers p1. The merchant entities only
   * have time_since_last (span 0), so each keeps just its newest event time: m1 forgets p1 after
   * p2, m2 forgets q1 after q2, and qLate (t = +30s, arriving +1h) finds no merchant predecessor
   * while its card still sees q1.
   */
  static ReplayInput horizonFollowsEventTime() {
    return input(
        "horizon follows event time",
        spec(
            0,
            0,
            count("count_1h", "card", HOUR, 0),
            new TimeSinceLast("since_last", "card"),
            new TimeSinceLast("merchant_since_last", "merchant")),
        payments(
            pay("p1", T0),
            pay("p2", T0 + 30 * MINUTE).ingest(T0 + 10 * HOUR),
            pay("p3", T0 + 20 * MINUTE).ingest(T0 + 11 * HOUR),
            pay("q1", T0).card("c9").merchant("m2"),
            pay("q2", T0 + MINUTE).card("c9").merchant("m2"),
            pay("qLate", T0 + 30 * SECOND).card("c9").merchant("m2").ingest(T0 + HOUR)),
        List.of());
  }

  /**
   * L = 0, span 1m. Located p1, unlocated p2 (+10m), located p3 (+20m). With max_lateness 0,
   * applying p2 forgets event times before +9m: p1 is forgotten (only the newest payment, p2, is
   * exempt) and p3 has no located predecessor; with 1h, p3 measures from p1.
   */
  static ReplayInput geoSeesOnlyRetainedPayments(long maxLateness) {
    return input(
        "geo after eviction with max_lateness " + Duration.ofMillis(maxLateness),
        spec(
            0,
            maxLateness,
            count("count_1m", "card", MINUTE, 0),
            new Geo("km", "card", GeoKind.DISTANCE_FROM_PREVIOUS_KM)),
        payments(
            pay("p1", T0).at(PARIS_LAT, PARIS_LON),
            pay("p2", T0 + 10 * MINUTE),
            pay("p3", T0 + 20 * MINUTE).at(LONDON_LAT, LONDON_LON)),
        List.of());
  }

  /**
   * g1 Paris (first: -1), g2 no location (-1), g3 London 2h after g1 (distance from g1, speed over
   * 2h), g4 Paris 30s after g3 (speed floored at 1/60 h); g0 is another card's only payment.
   */
  static ReplayInput geo() {
    return input(
        "geo",
        spec(
            0,
            DAY,
            new Geo("km", "card", GeoKind.DISTANCE_FROM_PREVIOUS_KM),
            new Geo("kmh", "card", GeoKind.SPEED_FROM_PREVIOUS_KMH)),
        payments(
            pay("g0", T0).card("c2").at(PARIS_LAT, PARIS_LON),
            pay("g1", T0).at(PARIS_LAT, PARIS_LON),
            pay("g2", T0 + HOUR),
            pay("g3", T0 + 2 * HOUR).at(LONDON_LAT, LONDON_LON),
            pay("g4", T0 + 2 * HOUR + 30 * SECOND).at(PARIS_LAT, PARIS_LON)),
        List.of());
  }

  /**
   * Europe/Paris (UTC+1 in January). Night 22..6 wraps midnight, day 9..17 does not, 5..5 is empty.
   * n4 is Sunday 23:30 UTC but Monday 00:30 in Paris.
   */
  static ReplayInput calendar() {
    return input(
        "calendar",
        spec(
            ZoneId.of("Europe/Paris"),
            0,
            0,
            List.of(
                new Calendar("weekend", CalendarKind.WEEKEND, 0, 0),
                new Calendar("night", CalendarKind.NIGHT, 22, 6),
                new Calendar("day", CalendarKind.NIGHT, 9, 17),
                new Calendar("never", CalendarKind.NIGHT, 5, 5),
                new Calendar("hour", CalendarKind.HOUR_OF_DAY, 0, 0),
                new Calendar("weekday", CalendarKind.DAY_OF_WEEK, 0, 0))),
        payments(
            pay("n1", T0 + 21 * HOUR + 30 * MINUTE), // Mon 22:30 Paris
            pay("n2", T0 + 5 * DAY + 4 * HOUR + 59 * MINUTE), // Sat 05:59 Paris
            pay("n3", T0 + 6 * DAY + 5 * HOUR), // Sun 06:00 Paris
            pay("n4", T0 + 6 * DAY + 23 * HOUR + 30 * MINUTE), // Mon 00:30 Paris
            pay("n5", T0 + 2 * DAY + 8 * HOUR), // Wed 09:00 Paris
            pay("n6", T0 + 2 * DAY + 16 * HOUR)), // Wed 17:00 Paris
        List.of());
  }

  /**
   * Channel vocabulary [pos, ecom]; category entity features. x2 has no category: it sees only
   * itself, is not remembered, and its fraud label changes nothing; x1's label (processed at
   * +1m30s) is seen by x3 and x4.
   */
  static ReplayInput categoricalAndMissingEntity() {
    return input(
        "categorical and missing entity key",
        spec(
            0,
            0,
            new Categorical("channel_index", Field.CHANNEL, List.of("pos", "ecom")),
            count("count_1h", "category", HOUR, 0),
            count("count_delayed", "category", HOUR, MINUTE),
            new TimeSinceLast("since_last", "category"),
            labels("fraud_count", "category", LabelFunction.FRAUD_COUNT, HOUR, 0)),
        payments(
            pay("x1", T0).category("grocery").channel("pos"),
            pay("x2", T0 + MINUTE).channel("ecom"),
            pay("x3", T0 + 2 * MINUTE).category("grocery").channel("atm"),
            pay("x4", T0 + 3 * MINUTE).category("grocery")),
        List.of(label("x1", true, T0 + 90 * SECOND), label("x2", true, T0 + 90 * SECOND)));
  }

  /** Distinct merchants and channels per card over 1h; a missing channel is not a value. */
  static ReplayInput distinctCount() {
    return input(
        "distinct count",
        spec(
            0,
            0,
            agg("merchants", "card", AggregateFunction.DISTINCT_COUNT, Field.MERCHANT_ID, HOUR, 0),
            agg("channels", "card", AggregateFunction.DISTINCT_COUNT, Field.CHANNEL, HOUR, 0)),
        payments(
            pay("d1", T0).merchant("m1").channel("pos"),
            pay("d2", T0 + MINUTE).merchant("m2"),
            pay("d3", T0 + 2 * MINUTE).merchant("m1").channel("ecom"),
            pay("d4", T0 + 3 * MINUTE).merchant("m1").channel("pos")),
        List.of());
  }

  /**
   * Distinct amounts, event times and latitudes per card over 1h: the spec accepts distinct_count
   * of any field, and the README counts "distinct non-missing values" of it.
   */
  static ReplayInput distinctCountOfNumbers() {
    return input(
        "distinct count of numeric fields",
        spec(
            0,
            0,
            agg("amounts", "card", AggregateFunction.DISTINCT_COUNT, Field.AMOUNT, HOUR, 0),
            agg("times", "card", AggregateFunction.DISTINCT_COUNT, Field.EVENT_TIME, HOUR, 0),
            agg("latitudes", "card", AggregateFunction.DISTINCT_COUNT, Field.LATITUDE, HOUR, 0)),
        payments(
            pay("v1", T0).amount(1).at(1, 2),
            pay("v2", T0 + MINUTE).amount(1),
            pay("v3", T0 + MINUTE).amount(2.5).at(1, 3),
            pay("v4", T0 + 2 * MINUTE).amount(2.5).at(3, 2)),
        List.of());
  }

  /**
   * Two labels of a1 with the same label time and processing time but different verdicts, given in
   * both input orders. The README leaves this order open; the oracle applies fraud last.
   */
  static ReplayInput conflictingLabelTie(boolean fraudFirstInInput) {
    return input(
        "conflicting label tie, fraud given " + (fraudFirstInInput ? "first" : "last"),
        spec(0, 0, labels("fraud_count", "card", LabelFunction.FRAUD_COUNT, DAY, 0)),
        payments(pay("a1", T0), pay("a2", T0 + HOUR)),
        List.of(
            label("a1", fraudFirstInInput, T0 + MINUTE),
            label("a1", !fraudFirstInInput, T0 + MINUTE)));
  }
}
