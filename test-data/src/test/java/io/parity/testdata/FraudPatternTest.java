package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.PaymentEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each injected fraud kind is recognisable in the data, and legitimate traffic is not. */
class FraudPatternTest {

  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;

  private final GeneratedDataset data = TestData.medium();
  private final GroundTruth truth = data.groundTruth();
  private final Map<String, PaymentEvent> byId = new HashMap<>();
  private final Map<String, List<PaymentEvent>> legitimateByCard = new HashMap<>();

  FraudPatternTest() {
    for (PaymentEvent e : data.events()) {
      byId.put(e.eventId(), e);
      if (!truth.isFraud(e.eventId())) {
        legitimateByCard.computeIfAbsent(e.cardId(), c -> new ArrayList<>()).add(e);
      }
    }
  }

  private List<PaymentEvent> events(FraudIncident incident) {
    return incident.eventIds().stream().map(byId::get).toList();
  }

  private double legitimateMedianAmount(String cardId) {
    double[] amounts =
        legitimateByCard.getOrDefault(cardId, List.of()).stream()
            .mapToDouble(PaymentEvent::amount)
            .sorted()
            .toArray();
    return amounts.length == 0 ? Double.NaN : amounts[amounts.length / 2];
  }

  @Test
  void incidentsAgreeWithThePerEventGroundTruth() {
    int events = 0;
    for (FraudIncident incident : truth.incidents()) {
      for (String id : incident.eventIds()) {
        assertThat(truth.kindOf(id)).isEqualTo(incident.kind());
        assertThat(truth.incidentOf(id)).isEqualTo(incident.id());
        events++;
      }
    }
    assertThat(events).isEqualTo(truth.fraudEventCount());
    assertThat(truth.kindOf("tx-999999999")).isEqualTo(FraudKind.NONE);
  }

  @Test
  void compromisedCardsBurstAtUnusualMerchantsWithinHours() {
    List<FraudIncident> bursts = truth.incidents(FraudKind.CARD_BURST);
    assertThat(bursts).hasSizeGreaterThan(5);
    int burstEvents = 0;
    int atKnownMerchant = 0;
    int online = 0;
    double ratioSum = 0;
    int ratioCount = 0;
    for (FraudIncident burst : bursts) {
      List<PaymentEvent> events = events(burst);
      assertThat(events).hasSizeGreaterThanOrEqualTo(3);
      assertThat(events).allMatch(e -> e.cardId().equals(burst.cardId()));
      long span = events.get(events.size() - 1).eventTimeMillis() - events.get(0).eventTimeMillis();
      assertThat(span).isLessThan(12 * HOUR);
      Set<String> usual = new HashSet<>();
      legitimateByCard
          .getOrDefault(burst.cardId(), List.of())
          .forEach(e -> usual.add(e.merchantId()));
      double median = legitimateMedianAmount(burst.cardId());
      for (PaymentEvent e : events) {
        burstEvents++;
        if (usual.contains(e.merchantId())) {
          atKnownMerchant++;
        }
        if ("online".equals(e.channel()) || !e.hasLocation()) {
          online++;
        }
        if (!Double.isNaN(median)) {
          ratioSum += e.amount() / median;
          ratioCount++;
        }
      }
    }
    assertThat((double) atKnownMerchant / burstEvents).isLessThan(0.3);
    assertThat((double) online / burstEvents).isGreaterThan(0.4);
    assertThat(ratioSum / ratioCount).isGreaterThan(2.0);
  }

  @Test
  void compromisedTerminalsHitManyDistinctCardsOverDays() {
    List<FraudIncident> terminals = truth.incidents(FraudKind.TERMINAL_COMPROMISE);
    assertThat(terminals).isNotEmpty();
    for (FraudIncident terminal : terminals) {
      List<PaymentEvent> events = events(terminal);
      assertThat(events).allMatch(e -> e.merchantId().equals(terminal.merchantId()));
      Set<String> cards = new HashSet<>();
      events.forEach(e -> cards.add(e.cardId()));
      assertThat(cards).hasSameSizeAs(events);
      long span = events.get(events.size() - 1).eventTimeMillis() - events.get(0).eventTimeMillis();
      assertThat(span).isLessThanOrEqualTo(5 * 24 * HOUR);
    }
    assertThat(terminals).anySatisfy(t -> assertThat(t.eventIds()).hasSizeGreaterThanOrEqualTo(8));
  }

  @Test
  void largeAmountsAreLargeForTheCard() {
    List<FraudIncident> large = truth.incidents(FraudKind.LARGE_AMOUNT);
    assertThat(large).hasSizeGreaterThan(5);
    double min = TestData.MEDIUM.largeFraudMinAmount();
    for (FraudIncident incident : large) {
      PaymentEvent e = events(incident).get(0);
      assertThat(incident.eventIds()).hasSize(1);
      assertThat(e.amount()).isBetween(min, 6 * min);
      // A card's median says little with a handful of payments (one flight dominates).
      if (legitimateByCard.getOrDefault(incident.cardId(), List.of()).size() >= 10) {
        assertThat(e.amount()).isGreaterThan(5 * legitimateMedianAmount(incident.cardId()));
      }
    }
  }

  @Test
  void impossibleTravelIsFasterThanAnyPlane() {
    List<FraudIncident> travels = truth.incidents(FraudKind.IMPOSSIBLE_TRAVEL);
    assertThat(travels).hasSizeGreaterThan(5);
    Map<String, PaymentEvent> previousOfCard = new HashMap<>();
    Map<String, PaymentEvent> previousOfFirst = new HashMap<>();
    Set<String> firsts = new HashSet<>();
    travels.forEach(t -> firsts.add(t.eventIds().get(0)));
    for (PaymentEvent e : data.events()) {
      if (firsts.contains(e.eventId())) {
        previousOfFirst.put(e.eventId(), previousOfCard.get(e.cardId()));
      }
      previousOfCard.put(e.cardId(), e);
    }
    for (FraudIncident travel : travels) {
      PaymentEvent first = byId.get(travel.eventIds().get(0));
      PaymentEvent before = previousOfFirst.get(first.eventId());
      assertThat(before).as("payment before %s", first.eventId()).isNotNull();
      assertThat(truth.isFraud(before.eventId())).isFalse();
      assertThat(before.hasLocation()).isTrue();
      assertThat(first.hasLocation()).isTrue();
      double km =
          TestData.km(before.latitude(), before.longitude(), first.latitude(), first.longitude());
      double hours = (first.eventTimeMillis() - before.eventTimeMillis()) / (double) HOUR;
      assertThat(km).isGreaterThan(500);
      assertThat(hours).isPositive().isLessThanOrEqualTo(1.0);
      assertThat(km / hours).as("implied km/h").isGreaterThan(500);
    }
  }

  @Test
  void legitimateTravelIsPlausibleAndHappens() {
    int longTrips = 0;
    for (List<PaymentEvent> events : legitimateByCard.values()) {
      PaymentEvent last = null;
      for (PaymentEvent e : events) {
        if (!e.hasLocation()) {
          continue;
        }
        if (last != null) {
          double km = TestData.km(last.latitude(), last.longitude(), e.latitude(), e.longitude());
          if (km > 500) {
            longTrips++;
            double hours = (e.eventTimeMillis() - last.eventTimeMillis()) / (double) HOUR;
            assertThat(km / hours).as("legit %s after %s", e, last).isLessThan(500);
          }
        }
        last = e;
      }
    }
    assertThat(longTrips).isGreaterThan(20);
  }
}
