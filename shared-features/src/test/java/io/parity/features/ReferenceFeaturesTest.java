package io.parity.features;

import static io.parity.features.BoundaryScenarios.LONDON_LAT;
import static io.parity.features.BoundaryScenarios.LONDON_LON;
import static io.parity.features.BoundaryScenarios.PARIS_LAT;
import static io.parity.features.BoundaryScenarios.PARIS_LON;
import static io.parity.features.ReplayInput.DAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.FeatureDefinition.Aggregate;
import io.parity.features.FeatureDefinition.Calendar;
import io.parity.features.FeatureDefinition.Categorical;
import io.parity.features.FeatureDefinition.LabelAggregate;
import io.parity.features.FeatureDefinition.LabelFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;

/**
 * The oracle itself against numbers computed by hand from the README, one scenario per boundary
 * ({@link BoundaryScenarios}), plus properties any reading of the README must satisfy (input order
 * does not matter, on-time payments ignore arrival order, no NaN, values in range).
 */
class ReferenceFeaturesTest {

  private static Map<String, FeatureRow> run(ReplayInput in) {
    Map<String, FeatureRow> rows = new LinkedHashMap<>();
    for (FeatureRow r : ReferenceFeatures.compute(in.spec(), in.payments(), in.labels())) {
      rows.put(r.eventId(), r);
    }
    return rows;
  }

  /** Bit-for-bit: 0.0 and -0.0 differ, as they would in a parity comparison. */
  private static void expect(
      ReplayInput in, Map<String, FeatureRow> rows, String id, double... expected) {
    FeatureRow row = rows.get(id);
    assertThat(row).as("row of %s", id).isNotNull();
    assertThat(row.values()).as("values of %s", id).hasSize(expected.length);
    List<String> names = in.spec().featureNames();
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToRawLongBits(row.values()[i]) != Double.doubleToRawLongBits(expected[i])) {
        fail(
            "%s: event %s, feature %s: expected %s, oracle %s",
            in.name(), id, names.get(i), expected[i], row.values()[i]);
      }
    }
  }

  @Test
  void eventExactlyOneWindowBeforeIsOutsideAndSameTimeCountsOnlyWithSmallerId() {
    ReplayInput in = BoundaryScenarios.windowEdges();
    Map<String, FeatureRow> rows = run(in);
    // count_1h, sum_1h, since_last
    expect(in, rows, "a", 1, 1, -1);
    expect(in, rows, "b", 1, 2, 3600.0);
    expect(in, rows, "c", 2, 2.0 + 4.0, 0.0);
    expect(in, rows, "z", 1, 100, -1);
    assertThat(rows.keySet()).containsExactly("a", "b", "c", "z");
  }

  @Test
  void delayedWindowIncludesItsRightEndExcludesItsLeftEndAndTheCurrentEvent() {
    ReplayInput in = BoundaryScenarios.delayedWindow();
    Map<String, FeatureRow> rows = run(in);
    // count, sum, mean, min, max, stddev over (t - 90m, t - 30m]
    expect(in, rows, "p1", 0, 0, 0, 0, 0, 0);
    expect(in, rows, "p2", 1, 1, 1, 1, 1, 0);
    expect(in, rows, "p3", 2, 3, 1.5, 1, 2, 0.5);
    expect(in, rows, "p4", 2, 6, 3, 2, 4, 1);
  }

  @Test
  void currentEventIsInItsOwnWindowOnlyWithoutDelay() {
    ReplayInput in = BoundaryScenarios.currentEventIncluded();
    Map<String, FeatureRow> rows = run(in);
    // mean_1h, stddev_1h, min_1h, max_1h, to_mean_1h, to_mean_delayed, count_delayed
    expect(in, rows, "q1", 1, 0, 1, 1, 1, 0, 0);
    expect(in, rows, "q2", 2, 1, 1, 3, 1.5, 0, 0);
    expect(in, rows, "q3", 0, 0, 0, 0, 0, 0, 0);
    expect(in, rows, "q4", 5, 0, 5, 5, 1, 5.0 / 3.0, 1);
  }

  @Test
  void labelIsKnownOnlyAfterItsProcessingTimeAndEmptyWindowRateIsZero() {
    ReplayInput in = BoundaryScenarios.labelsKnownOnlyAfterProcessing();
    Map<String, FeatureRow> rows = run(in);
    // fraud_count, fraud_rate, fraud_rate_delayed, count
    expect(in, rows, "p1", 0, 0, 0, 1);
    expect(in, rows, "p2", 0, 0, 0, 2);
    expect(in, rows, "p3", 1, 1.0 / 3.0, 0.5, 3);
    expect(in, rows, "p4", 2, 0.5, 2.0 / 3.0, 4);
    assertThat(rows).doesNotContainKey("ghost");
  }

  @Test
  void labelArrivingBeforeItsPaymentIsAppliedRightAfterIt() {
    ReplayInput in = BoundaryScenarios.labelBeforePayment();
    Map<String, FeatureRow> rows = run(in);
    // fraud_count, count
    expect(in, rows, "r1", 0, 1);
    expect(in, rows, "r4", 0, 2);
    expect(in, rows, "r5", 0, 2);
    expect(in, rows, "r6", 1, 4);
  }

  @Test
  void latestAppliedLabelWins() {
    ReplayInput in = BoundaryScenarios.latestLabelWins();
    Map<String, FeatureRow> rows = run(in);
    expect(in, rows, "k1", 0);
    expect(in, rows, "k2", 0);
    expect(in, rows, "k3", 0);
    // la (label time +1h) was applied after lb (label time +2h): processing order decides.
    expect(in, rows, "k4", 1);
    expect(in, rows, "k5", 1);
    expect(in, rows, "k6", 1);
    expect(in, rows, "k7", 0);
    // le and lf share processing time +8h: label time orders them, lf (fraud) last.
    expect(in, rows, "k8", 1);
  }

  @Test
  void latePaymentSeesWhatWasProcessedBeforeItAndIsSeenOnlyByLaterProcessedOnes() {
    ReplayInput in = BoundaryScenarios.latePayment();
    Map<String, FeatureRow> rows = run(in);
    // count_1h, since_last
    expect(in, rows, "p1", 1, -1);
    expect(in, rows, "p2", 2, 300.0);
    expect(in, rows, "p4", 3, 600.0);
    expect(in, rows, "pLate", 2, 120.0);
    expect(in, rows, "p3", 5, 600.0);
  }

  @Test
  void latePaymentSeesLabelsProcessedBeforeIt() {
    ReplayInput in = BoundaryScenarios.latePaymentSeesLabelsProcessedBeforeIt();
    Map<String, FeatureRow> rows = run(in);
    // fraud_count, fraud_rate
    expect(in, rows, "x1", 0, 0);
    expect(in, rows, "xLate", 1, 0.5);
    expect(in, rows, "x2", 1, 1.0 / 3.0);
  }

  @Test
  void labelTimedFarBeforeItsPaymentIsIgnored() {
    // README: a label processed more than the longest retention (here 1 min) away from its
    // payment is ignored; this one is 5 min before it.
    ReplayInput in = BoundaryScenarios.labelTimedBeforeItsPayment();
    Map<String, FeatureRow> rows = run(in);
    expect(in, rows, "a", 0);
    expect(in, rows, "b", 0);
  }

  @Test
  void labelProcessedLongerThanTheRetentionAfterItsPaymentIsIgnored() {
    // README: rho - tau(payment) = 2 min exceeds the longest retention (1 min): ignored.
    ReplayInput in = BoundaryScenarios.labelTimedAfterTheWindow();
    Map<String, FeatureRow> rows = run(in);
    expect(in, rows, "e0", 0);
    expect(in, rows, "e1", 0);
  }

  @Test
  void aCorrectingLabelBeyondTheRetentionDoesNotReplaceTheEarlierOne() {
    // The legit label is processed 32 min after its payment, beyond the longest retention
    // (31 min): it is ignored, so the fraud label applied earlier stays.
    ReplayInput in = BoundaryScenarios.latestAppliedLabelJustBeforeALatePayment();
    Map<String, FeatureRow> rows = run(in);
    expect(in, rows, "e5", 0);
    expect(in, rows, "e10", 1);
  }

  @Test
  void horizonIsNewestEventTimeMinusSpanAndMaxLatenessWithoutAllowedLateness() {
    ReplayInput in = BoundaryScenarios.lateHorizonWithAllowedLateness();
    Map<String, FeatureRow> rows = run(in);
    expect(in, rows, "y1", 1);
    expect(in, rows, "y2", 1);
    expect(in, rows, "yLate", 1);
  }

  @Test
  void paymentLaterThanMaxLatenessSeesATruncatedWindow() {
    ReplayInput tight = BoundaryScenarios.evictionTruncatesVeryLatePayment(ReplayInput.HOUR);
    Map<String, FeatureRow> rows = run(tight);
    expect(tight, rows, "p1", 1, -1);
    expect(tight, rows, "p2", 2, 1800.0);
    expect(tight, rows, "p3", 1, 9000.0);
    expect(tight, rows, "pLate", 1, -1);

    ReplayInput loose = BoundaryScenarios.evictionTruncatesVeryLatePayment(4 * ReplayInput.HOUR);
    rows = run(loose);
    expect(loose, rows, "p3", 1, 9000.0);
    expect(loose, rows, "pLate", 3, 900.0);
  }

  @Test
  void horizonFollowsEventTimeNotArrival() {
    ReplayInput in = BoundaryScenarios.horizonFollowsEventTime();
    Map<String, FeatureRow> rows = run(in);
    // count_1h, since_last (card), merchant_since_last
    expect(in, rows, "p1", 1, -1, -1);
    expect(in, rows, "p2", 2, 1800.0, 1800.0);
    expect(in, rows, "p3", 2, 1200.0, -1);
    expect(in, rows, "q1", 1, -1, -1);
    expect(in, rows, "q2", 2, 60.0, 60.0);
    expect(in, rows, "qLate", 2, 30.0, -1);
  }

  @Test
  void geoReadsOnlyRememberedPayments() {
    double km = ReferenceFeatures.haversineKm(PARIS_LAT, PARIS_LON, LONDON_LAT, LONDON_LON);
    ReplayInput tight = BoundaryScenarios.geoSeesOnlyRetainedPayments(0);
    Map<String, FeatureRow> rows = run(tight);
    expect(tight, rows, "p1", 1, -1);
    expect(tight, rows, "p2", 1, -1);
    expect(tight, rows, "p3", 1, -1);

    ReplayInput loose = BoundaryScenarios.geoSeesOnlyRetainedPayments(ReplayInput.HOUR);
    rows = run(loose);
    expect(loose, rows, "p3", 1, km);
  }

  @Test
  void geoDistanceAndSpeedFromTheLatestLocatedPayment() {
    ReplayInput in = BoundaryScenarios.geo();
    Map<String, FeatureRow> rows = run(in);
    double km = ReferenceFeatures.haversineKm(PARIS_LAT, PARIS_LON, LONDON_LAT, LONDON_LON);
    assertThat(km).isCloseTo(343.5565, within(1e-3));
    // km, kmh
    expect(in, rows, "g0", -1, -1);
    expect(in, rows, "g1", -1, -1);
    expect(in, rows, "g2", -1, -1);
    expect(in, rows, "g3", km, km / 2.0);
    // 30 s is less than a minute: the elapsed time is floored at 1/60 h.
    expect(in, rows, "g4", km, km / (1.0 / 60.0));
  }

  @Test
  void haversineMatchesKnownDistances() {
    double r = ReferenceFeatures.EARTH_RADIUS_KM;
    assertThat(ReferenceFeatures.haversineKm(0, 0, 0, 1))
        .isCloseTo(r * Math.PI / 180, within(1e-9));
    assertThat(ReferenceFeatures.haversineKm(90, 0, -90, 0)).isCloseTo(r * Math.PI, within(1e-9));
    assertThat(ReferenceFeatures.haversineKm(0, 0, 0, 180)).isCloseTo(r * Math.PI, within(1e-9));
    assertThat(ReferenceFeatures.haversineKm(12.5, 7.25, 12.5, 7.25)).isEqualTo(0.0);
  }

  @Test
  void calendarInTheSpecTimeZoneWithNightWrappingMidnight() {
    ReplayInput in = BoundaryScenarios.calendar();
    Map<String, FeatureRow> rows = run(in);
    // weekend, night 22..6, day 9..17, never 5..5, hour, weekday
    expect(in, rows, "n1", 0, 1, 0, 0, 22, 1);
    expect(in, rows, "n2", 1, 1, 0, 0, 5, 6);
    expect(in, rows, "n3", 1, 0, 0, 0, 6, 7);
    expect(in, rows, "n4", 0, 1, 0, 0, 0, 1);
    expect(in, rows, "n5", 0, 0, 1, 0, 9, 3);
    expect(in, rows, "n6", 0, 0, 0, 0, 17, 3);
  }

  @Test
  void categoricalIndexAndPaymentWithoutEntityKey() {
    ReplayInput in = BoundaryScenarios.categoricalAndMissingEntity();
    Map<String, FeatureRow> rows = run(in);
    // channel_index, count_1h, count_delayed, since_last, fraud_count (category entity)
    expect(in, rows, "x1", 1, 1, 0, -1, 0);
    expect(in, rows, "x2", 2, 1, 0, -1, 0);
    expect(in, rows, "x3", 0, 2, 1, 120.0, 1);
    expect(in, rows, "x4", 0, 3, 2, 60.0, 1);
  }

  @Test
  void distinctCountIgnoresMissingValues() {
    ReplayInput in = BoundaryScenarios.distinctCount();
    Map<String, FeatureRow> rows = run(in);
    expect(in, rows, "d1", 1, 1);
    expect(in, rows, "d2", 2, 1);
    expect(in, rows, "d3", 2, 2);
    expect(in, rows, "d4", 2, 2);
  }

  @Test
  void distinctCountOfNumericFields() {
    ReplayInput in = BoundaryScenarios.distinctCountOfNumbers();
    Map<String, FeatureRow> rows = run(in);
    // amounts, times, latitudes
    expect(in, rows, "v1", 1, 1, 1);
    expect(in, rows, "v2", 1, 2, 1);
    expect(in, rows, "v3", 2, 2, 1);
    expect(in, rows, "v4", 2, 3, 2);
  }

  @Test
  void fullyTiedConflictingLabelsResolveToFraudWhateverTheInputOrder() {
    for (boolean fraudFirst : new boolean[] {true, false}) {
      ReplayInput in = BoundaryScenarios.conflictingLabelTie(fraudFirst);
      Map<String, FeatureRow> rows = run(in);
      expect(in, rows, "a1", 0);
      expect(in, rows, "a2", 1);
    }
  }

  @Test
  void nightWithEqualStartAndEndIsNever() {
    for (int h = 0; h < 24; h++) {
      assertThat(ReferenceFeatures.inNight(h, 7, 7)).isFalse();
      assertThat(ReferenceFeatures.inNight(h, 23, 0)).isEqualTo(h == 23);
      assertThat(ReferenceFeatures.inNight(h, 0, 1)).isEqualTo(h == 0);
    }
  }

  @Test
  void everyBoundaryScenarioYieldsOneRowPerPaymentSortedById() {
    for (ReplayInput in : BoundaryScenarios.all()) {
      List<FeatureRow> rows = ReferenceFeatures.compute(in.spec(), in.payments(), in.labels());
      List<String> ids =
          new ArrayList<>(in.payments().stream().map(a -> a.value().eventId()).toList());
      Collections.sort(ids);
      assertThat(rows).extracting(FeatureRow::eventId).as(in.name()).containsExactlyElementsOf(ids);
    }
  }

  // --- properties of the oracle on random inputs -------------------------------------------

  @Provide
  Arbitrary<ReplayInput> mixed() {
    return RandomReplays.replays(RandomReplays.Profile.MIXED);
  }

  @Provide
  Arbitrary<ReplayInput> late() {
    return RandomReplays.replays(RandomReplays.Profile.LATE);
  }

  /** Batch and streaming receive events in different orders: the answer must not depend on it. */
  @Property(tries = 150)
  void inputOrderDoesNotMatter(@ForAll("mixed") ReplayInput in, @ForAll Random random) {
    List<Arrival<PaymentEvent>> payments = new ArrayList<>(in.payments());
    List<Arrival<LabelEvent>> labels = new ArrayList<>(in.labels());
    Collections.shuffle(payments, random);
    Collections.shuffle(labels, random);
    assertThat(ReferenceFeatures.compute(in.spec(), payments, labels))
        .isEqualTo(ReferenceFeatures.compute(in.spec(), in.payments(), in.labels()));
  }

  /** When L exceeds every arrival delay all payments are on time, whatever their ingest time. */
  @Property(tries = 100)
  void onTimePaymentsIgnoreArrivalOrder(@ForAll("late") ReplayInput in) {
    FeatureSpec huge =
        new FeatureSpec(
            in.spec().name(),
            in.spec().timeZone(),
            Duration.ofMillis(30 * DAY),
            in.spec().maxLateness(),
            in.spec().entities(),
            in.spec().features());
    List<Arrival<PaymentEvent>> unknown =
        in.payments().stream().map(a -> Arrival.unknownIngestTime(a.value())).toList();
    assertThat(ReferenceFeatures.compute(huge, unknown, in.labels()))
        .isEqualTo(ReferenceFeatures.compute(huge, in.payments(), in.labels()));
  }

  /** Labels of events that never arrive are ignored. */
  @Property(tries = 100)
  void labelsForUnknownEventsChangeNothing(@ForAll("mixed") ReplayInput in) {
    List<Arrival<LabelEvent>> labels = new ArrayList<>(in.labels());
    labels.add(ReplayInput.label("nobody", true, in.base(), in.base()));
    labels.add(ReplayInput.label("nobody", false, in.base() + DAY));
    assertThat(ReferenceFeatures.compute(in.spec(), in.payments(), labels))
        .isEqualTo(ReferenceFeatures.compute(in.spec(), in.payments(), in.labels()));
  }

  /** Never NaN; rates in [0, 1]; a window without delay holds at least the event itself. */
  @Property(tries = 200)
  void valuesAreInRange(@ForAll("mixed") ReplayInput in) {
    List<FeatureRow> rows = ReferenceFeatures.compute(in.spec(), in.payments(), in.labels());
    assertThat(rows).hasSize(in.payments().size());
    for (FeatureRow row : rows) {
      for (int i = 0; i < row.values().length; i++) {
        double v = row.values()[i];
        FeatureDefinition f = in.spec().features().get(i);
        String where = row.eventId() + " " + f;
        assertThat(Double.isNaN(v)).as(where).isFalse();
        if (f instanceof LabelAggregate l && l.function() == LabelFunction.FRAUD_RATE) {
          assertThat(v).as(where).isBetween(0.0, 1.0);
        } else if (f instanceof Aggregate a
            && a.function() == FeatureDefinition.AggregateFunction.COUNT
            && a.delay().isZero()) {
          assertThat(v).as(where).isGreaterThanOrEqualTo(1.0);
        } else if (f instanceof Calendar c
            && c.kind() == FeatureDefinition.CalendarKind.DAY_OF_WEEK) {
          assertThat(v).as(where).isBetween(1.0, 7.0);
        } else if (f instanceof Categorical c) {
          assertThat(v).as(where).isBetween(0.0, (double) c.vocabulary().size());
        } else {
          assertThat(Double.isFinite(v)).as(where).isTrue();
        }
      }
    }
  }

  /** The generator really produces the situations the parity properties are meant to stress. */
  @Property(tries = 200)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void generatorCoversLatePaymentsAndLabels(@ForAll("mixed") ReplayInput in) {
    long lateness = in.spec().allowedLateness().toMillis();
    Statistics.label("late")
        .collect(
            in.payments().stream()
                .anyMatch(a -> a.ingestTimeMillis() > a.value().eventTimeMillis() + lateness))
        .coverage(c -> c.check(true).percentage(p -> p > 30));
    Statistics.label("labels")
        .collect(!in.labels().isEmpty())
        .coverage(c -> c.check(true).percentage(p -> p > 50));
    Statistics.label("missing category")
        .collect(in.payments().stream().anyMatch(a -> a.value().merchantCategory() == null))
        .coverage(c -> c.check(true).percentage(p -> p > 50));
  }
}
