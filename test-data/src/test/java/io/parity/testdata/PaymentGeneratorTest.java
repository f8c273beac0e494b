package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.events.PaymentEvent;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PaymentGeneratorTest {

  private static final PaymentGeneratorConfig SMALL =
      PaymentGeneratorConfig.defaults().withCards(200).withMerchants(60).withDays(5);

  @Test
  void sameSeedGivesIdenticalBytes() {
    GeneratedDataset first = PaymentGenerator.create(SMALL).generateInMemory();
    GeneratedDataset second = PaymentGenerator.create(SMALL).generateInMemory();
    assertThat(TestData.jsonLines(second.events())).isEqualTo(TestData.jsonLines(first.events()));
    assertThat(TestData.jsonLabels(second.labels())).isEqualTo(TestData.jsonLabels(first.labels()));
    assertThat(second.groundTruth().fraudKinds()).isEqualTo(first.groundTruth().fraudKinds());
  }

  @Test
  void differentSeedGivesDifferentData() {
    GeneratedDataset a = PaymentGenerator.create(SMALL).generateInMemory();
    GeneratedDataset b = PaymentGenerator.create(SMALL.withSeed(43)).generateInMemory();
    assertThat(TestData.jsonLines(b.events())).isNotEqualTo(TestData.jsonLines(a.events()));
  }

  @Test
  void streamingPassEqualsInMemoryPass() {
    GeneratedDataset all = PaymentGenerator.create(SMALL).generateInMemory();
    List<PaymentEvent> streamed = new ArrayList<>();
    Iterator<GeneratedPayment> payments = PaymentGenerator.create(SMALL).payments();
    payments.forEachRemaining(p -> streamed.add(p.event()));
    assertThat(streamed).isEqualTo(all.events());
    assertThatThrownBy(payments::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void eventsAreSortedByTimeThenIdAndInsideTheConfiguredSpan() {
    List<PaymentEvent> events = TestData.medium().events();
    assertThat(events)
        .isSortedAccordingTo(
            Comparator.comparingLong(PaymentEvent::eventTimeMillis)
                .thenComparing(PaymentEvent::eventId));
    long start = TestData.MEDIUM.start().toEpochMilli();
    long end = TestData.MEDIUM.end().toEpochMilli();
    assertThat(events).allSatisfy(e -> assertThat(e.eventTimeMillis()).isBetween(start, end - 1));
  }

  @Test
  void idsAreUniqueAndWellFormed() {
    List<PaymentEvent> events = TestData.medium().events();
    Set<String> ids = new HashSet<>();
    for (PaymentEvent e : events) {
      assertThat(ids.add(e.eventId())).as("unique %s", e.eventId()).isTrue();
      assertThat(e.eventId()).matches("tx-\\d{9}");
      assertThat(e.cardId()).matches("card-\\d{5}");
      assertThat(e.merchantId()).matches("term-\\d{5}");
    }
    assertThat(events.get(0).eventId()).isEqualTo("tx-000000000");
  }

  @Test
  void fieldsAreRealistic() {
    List<PaymentEvent> events = TestData.medium().events();
    Map<String, Integer> currencies = new TreeMap<>();
    Set<String> categories = new HashSet<>();
    int missingCategory = 0;
    for (PaymentEvent e : events) {
      currencies.merge(e.currency(), 1, Integer::sum);
      assertThat(Math.round(e.amount() * 100) / 100.0).isEqualTo(e.amount());
      assertThat(e.amount()).isPositive();
      if (e.merchantCategory() == null) {
        missingCategory++;
      } else {
        categories.add(e.merchantCategory());
      }
      if ("online".equals(e.channel())) {
        assertThat(e.hasLocation()).isFalse();
      }
      if ("pos".equals(e.channel()) || "atm".equals(e.channel())) {
        assertThat(e.hasLocation()).isTrue();
      }
      if ("cash".equals(e.merchantCategory())) {
        assertThat(e.amount() % 20).isZero();
      }
    }
    assertThat(currencies.keySet()).containsExactly("EUR", "GBP", "USD");
    assertThat(currencies.get("EUR")).isGreaterThan(events.size() * 8 / 10);
    assertThat(categories)
        .containsExactlyInAnyOrder(
            "grocery",
            "fuel",
            "restaurant",
            "electronics",
            "travel",
            "online_retail",
            "jewelry",
            "cash");
    assertThat(missingCategory).isPositive().isLessThan(events.size() / 10);
  }

  @Test
  void cardsSpendMostlyAtTheirUsualMerchants() {
    Map<String, Map<String, Integer>> byCard = new TreeMap<>();
    for (PaymentEvent e : TestData.medium().events()) {
      byCard
          .computeIfAbsent(e.cardId(), c -> new TreeMap<>())
          .merge(e.merchantId(), 1, Integer::sum);
    }
    long events = 0;
    long atTopThree = 0;
    for (Map<String, Integer> merchants : byCard.values()) {
      List<Integer> counts = new ArrayList<>(merchants.values());
      counts.sort(Comparator.reverseOrder());
      events += counts.stream().mapToInt(Integer::intValue).sum();
      atTopThree += counts.stream().limit(3).mapToInt(Integer::intValue).sum();
    }
    // 400 merchants, yet a card's three favourites get a large share of its payments.
    assertThat((double) atTopThree / events).isGreaterThan(0.4);
  }

  @Test
  void nightsAreQuietAndWeekendsDiffer() {
    int[] utcHours = new int[24];
    Map<DayOfWeek, int[]> hoursByDay = new EnumMap<>(DayOfWeek.class);
    for (PaymentEvent e : TestData.medium().events()) {
      var time = Instant.ofEpochMilli(e.eventTimeMillis()).atOffset(ZoneOffset.ofHours(1));
      utcHours[time.getHour()]++;
      hoursByDay.computeIfAbsent(time.getDayOfWeek(), d -> new int[24])[time.getHour()]++;
    }
    // Most card holders live at UTC+1: 3-4 am local is far quieter than lunch or the evening.
    assertThat(utcHours[3] * 5).isLessThan(utcHours[12]);
    assertThat(utcHours[4] * 5).isLessThan(utcHours[18]);
    int saturday = sum(hoursByDay.get(DayOfWeek.SATURDAY));
    int sunday = sum(hoursByDay.get(DayOfWeek.SUNDAY));
    assertThat(saturday).isGreaterThan(sunday * 12 / 10);
    // Weekend mornings start later than weekday mornings.
    double weekdayEarly = share(hoursByDay.get(DayOfWeek.TUESDAY), 7, 9);
    double sundayEarly = share(hoursByDay.get(DayOfWeek.SUNDAY), 7, 9);
    assertThat(sundayEarly).isLessThan(weekdayEarly);
  }

  private static int sum(int[] values) {
    int sum = 0;
    for (int v : values) {
      sum += v;
    }
    return sum;
  }

  private static double share(int[] hours, int from, int to) {
    int part = 0;
    for (int h = from; h <= to; h++) {
      part += hours[h];
    }
    return (double) part / sum(hours);
  }

  @Test
  void fraudRateIsNearTheTargetAndEveryKindIsPresent() {
    GeneratedDataset data = TestData.medium();
    double rate = (double) data.groundTruth().fraudEventCount() / data.events().size();
    assertThat(rate).isBetween(0.014, 0.028);
    Map<FraudKind, Integer> byKind = new EnumMap<>(FraudKind.class);
    data.groundTruth().fraudKinds().values().forEach(k -> byKind.merge(k, 1, Integer::sum));
    assertThat(byKind.keySet())
        .containsExactly(
            FraudKind.CARD_BURST,
            FraudKind.TERMINAL_COMPROMISE,
            FraudKind.LARGE_AMOUNT,
            FraudKind.IMPOSSIBLE_TRAVEL);
  }

  @Test
  void summaryCountsMatchTheData() throws Exception {
    List<GeneratedPayment> payments = new ArrayList<>();
    List<io.parity.events.LabelEvent> labels = new ArrayList<>();
    GenerationSummary summary =
        PaymentGenerator.create(SMALL)
            .generate(
                new PaymentSink() {
                  @Override
                  public void acceptPayment(GeneratedPayment payment) {
                    payments.add(payment);
                  }

                  @Override
                  public void acceptLabel(io.parity.events.LabelEvent label) {
                    labels.add(label);
                  }
                });
    assertThat(summary.events()).isEqualTo(payments.size());
    assertThat(summary.labels()).isEqualTo(labels.size());
    assertThat(summary.fraudEvents()).isEqualTo(payments.stream().filter(p -> p.isFraud()).count());
    assertThat(summary.eventsByKind().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(summary.events());
  }

  @Test
  void zeroFraudRateGivesNoFraud() {
    GeneratedDataset data = PaymentGenerator.create(SMALL.withFraudRate(0)).generateInMemory();
    assertThat(data.groundTruth().fraudEventCount()).isZero();
    assertThat(data.labels()).noneMatch(l -> l.fraud());
  }

  @Test
  void legitimateTrafficDoesNotDependOnTheFraudKnobs() {
    List<String> clean = legitimate(SMALL.withFraudRate(0));
    List<String> fraudy =
        legitimate(SMALL.withFraudRate(0.2).withFraudMix(new FraudMix(1, 1, 1, 5)));
    assertThat(fraudy).isEqualTo(clean);
  }

  /** Legitimate payments without their (positional) ids. */
  private static List<String> legitimate(PaymentGeneratorConfig config) {
    List<String> out = new ArrayList<>();
    PaymentGenerator.create(config)
        .payments()
        .forEachRemaining(
            p -> {
              if (!p.isFraud()) {
                PaymentEvent e = p.event();
                out.add(
                    e.eventTimeMillis()
                        + " "
                        + e.cardId()
                        + " "
                        + e.merchantId()
                        + " "
                        + e.amount());
              }
            });
    return out;
  }

  @Test
  void aTinyWorldStillWorks() {
    PaymentGeneratorConfig tiny =
        PaymentGeneratorConfig.defaults()
            .withCards(1)
            .withMerchants(1)
            .withDays(2)
            .withFraudRate(0.3);
    GeneratedDataset data = PaymentGenerator.create(tiny).generateInMemory();
    assertThat(data.events()).isNotEmpty();
    assertThat(data.events()).allMatch(e -> e.cardId().equals("card-00000"));
  }

  @Test
  void aStartOffMidnightIsRespected() {
    Instant start = Instant.parse("2026-03-10T13:30:00Z");
    PaymentGeneratorConfig config = SMALL.withStart(start).withDays(1);
    List<PaymentEvent> events = PaymentGenerator.create(config).generateInMemory().events();
    assertThat(events).isNotEmpty();
    assertThat(events.get(0).eventTimeMillis()).isGreaterThanOrEqualTo(start.toEpochMilli());
    assertThat(events.get(events.size() - 1).eventTimeMillis())
        .isLessThan(config.end().toEpochMilli());
  }
}
