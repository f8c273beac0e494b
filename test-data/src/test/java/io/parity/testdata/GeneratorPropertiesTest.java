package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Guarantees that hold for every seed and size, not only for the seeds the other tests use. */
class GeneratorPropertiesTest {

  private static final double HOUR = 3_600_000.0;

  @Property(tries = 25)
  void everySeedGivesOrderedCleanPatterns(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 400) int cards,
      @ForAll @IntRange(min = 1, max = 120) int merchants,
      @ForAll @IntRange(min = 1, max = 6) int days) {
    PaymentGeneratorConfig config =
        PaymentGeneratorConfig.defaults()
            .withSeed(seed)
            .withCards(cards)
            .withMerchants(merchants)
            .withDays(days)
            .withFraudRate(0.05)
            .withTripRate(0.05);
    GeneratedDataset data = PaymentGenerator.create(config).generateInMemory();
    GroundTruth truth = data.groundTruth();

    Map<String, PaymentEvent> byId = new HashMap<>();
    Map<String, PaymentEvent> lastOfCard = new HashMap<>();
    Map<String, PaymentEvent> lastLegitLocatedOfCard = new HashMap<>();
    Set<Integer> seenIncidents = new HashSet<>();
    PaymentEvent previous = null;
    for (PaymentEvent e : data.events()) {
      assertThat(byId.put(e.eventId(), e)).as("unique id").isNull();
      if (previous != null) {
        assertThat(e.eventTimeMillis()).isGreaterThanOrEqualTo(previous.eventTimeMillis());
        if (e.eventTimeMillis() == previous.eventTimeMillis()) {
          assertThat(e.eventId()).isGreaterThan(previous.eventId());
        }
      }
      previous = e;
      FraudKind kind = truth.kindOf(e.eventId());
      boolean firstOfIncident = kind.isFraud() && seenIncidents.add(truth.incidentOf(e.eventId()));
      PaymentEvent before = lastOfCard.get(e.cardId());
      if (kind == FraudKind.IMPOSSIBLE_TRAVEL && firstOfIncident) {
        assertThat(before).isNotNull();
        assertThat(before.hasLocation()).isTrue();
        assertThat(kmPerHour(before, e)).isGreaterThan(500);
      }
      if (!kind.isFraud() && e.hasLocation()) {
        PaymentEvent lastLegit = lastLegitLocatedOfCard.put(e.cardId(), e);
        // Genuine card holders never beat an aeroplane (far moves only; town hops are short).
        if (lastLegit != null && km(lastLegit, e) > 500) {
          assertThat(kmPerHour(lastLegit, e)).isLessThan(500);
        }
      }
      lastOfCard.put(e.cardId(), e);
    }
    long start = config.start().toEpochMilli();
    assertThat(data.events())
        .allSatisfy(
            e -> assertThat(e.eventTimeMillis()).isBetween(start, config.end().toEpochMilli() - 1));

    for (FraudIncident incident : truth.incidents()) {
      List<PaymentEvent> events = incident.eventIds().stream().map(byId::get).toList();
      switch (incident.kind()) {
        case CARD_BURST -> assertThat(events).allMatch(e -> e.cardId().equals(incident.cardId()));
        case TERMINAL_COMPROMISE -> {
          assertThat(events).allMatch(e -> e.merchantId().equals(incident.merchantId()));
          assertThat(events.stream().map(PaymentEvent::cardId).distinct().count())
              .isEqualTo(events.size());
        }
        case LARGE_AMOUNT ->
            assertThat(events.get(0).amount()).isGreaterThanOrEqualTo(config.largeFraudMinAmount());
        case IMPOSSIBLE_TRAVEL -> assertThat(events).allMatch(PaymentEvent::hasLocation);
        case NONE -> throw new AssertionError("legitimate incident " + incident);
      }
    }

    Set<String> labelled = new HashSet<>();
    for (LabelEvent label : data.labels()) {
      PaymentEvent event = byId.get(label.eventId());
      assertThat(event).isNotNull();
      assertThat(label.labelTimeMillis()).isGreaterThan(event.eventTimeMillis());
      assertThat(label.fraud()).isEqualTo(truth.isFraud(label.eventId()));
      labelled.add(label.eventId());
    }
    assertThat(labelled).containsAll(truth.fraudKinds().keySet());
  }

  private static double km(PaymentEvent a, PaymentEvent b) {
    return TestData.km(a.latitude(), a.longitude(), b.latitude(), b.longitude());
  }

  private static double kmPerHour(PaymentEvent a, PaymentEvent b) {
    double hours = (b.eventTimeMillis() - a.eventTimeMillis()) / HOUR;
    return hours <= 0 ? Double.POSITIVE_INFINITY : km(a, b) / hours;
  }
}
