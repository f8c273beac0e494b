package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelTest {

  private static final long DAY = Duration.ofDays(1).toMillis();

  private final GeneratedDataset data = TestData.medium();
  private final PaymentGeneratorConfig config = TestData.MEDIUM;
  private final Map<String, PaymentEvent> events = new HashMap<>();
  private final Map<String, LabelEvent> labels = new HashMap<>();

  LabelTest() {
    data.events().forEach(e -> events.put(e.eventId(), e));
    for (LabelEvent label : data.labels()) {
      assertThat(labels.put(label.eventId(), label)).as("one label per event").isNull();
    }
  }

  @Test
  void labelsAreSortedByTimeThenEventId() {
    assertThat(data.labels())
        .isSortedAccordingTo(
            Comparator.comparingLong(LabelEvent::labelTimeMillis)
                .thenComparing(LabelEvent::eventId));
  }

  @Test
  void everyLabelIsForAKnownEventAndComesAfterIt() {
    for (LabelEvent label : data.labels()) {
      PaymentEvent event = events.get(label.eventId());
      assertThat(event).as("event of %s", label).isNotNull();
      assertThat(label.labelTimeMillis()).isGreaterThan(event.eventTimeMillis());
      assertThat(label.fraud()).isEqualTo(data.groundTruth().isFraud(label.eventId()));
    }
  }

  @Test
  void everyFraudIsLabelledDaysLater() {
    long min = config.fraudLabelDelayMin().toMillis();
    long max = config.fraudLabelDelayMax().toMillis();
    int late = 0;
    double sumDays = 0;
    int count = 0;
    for (String id : data.groundTruth().fraudKinds().keySet()) {
      LabelEvent label = labels.get(id);
      assertThat(label).as("label of fraud %s", id).isNotNull();
      assertThat(label.fraud()).isTrue();
      long delay = label.labelTimeMillis() - events.get(id).eventTimeMillis();
      assertThat(delay).isBetween(min, 3 * max);
      if (delay > max) {
        late++;
      } else {
        sumDays += (double) delay / DAY;
        count++;
      }
    }
    int frauds = data.groundTruth().fraudEventCount();
    assertThat((double) late / frauds).isBetween(0.01, 0.12);
    assertThat(sumDays / count).as("mean delay in days").isBetween(5.0, 11.0);
  }

  @Test
  void aShareOfLegitimatePaymentsIsConfirmed() {
    long min = config.legitLabelDelayMin().toMillis();
    long max = config.legitLabelDelayMax().toMillis();
    List<LabelEvent> confirmations = data.labels().stream().filter(l -> !l.fraud()).toList();
    int legitimate = data.events().size() - data.groundTruth().fraudEventCount();
    assertThat((double) confirmations.size() / legitimate).isBetween(0.08, 0.12);
    for (LabelEvent label : confirmations) {
      long delay = label.labelTimeMillis() - events.get(label.eventId()).eventTimeMillis();
      assertThat(delay).isBetween(min, max);
    }
  }

  @Test
  void labelKnobsAreApplied() {
    PaymentGeneratorConfig quick =
        PaymentGeneratorConfig.defaults()
            .withCards(300)
            .withMerchants(80)
            .withDays(3)
            .withFraudLabelDelay(Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3))
            .withLateFraudLabelFraction(0)
            .withLegitLabelFraction(0);
    GeneratedDataset quickData = PaymentGenerator.create(quick).generateInMemory();
    Map<String, Long> times = new HashMap<>();
    quickData.events().forEach(e -> times.put(e.eventId(), e.eventTimeMillis()));
    assertThat(quickData.labels()).hasSize(quickData.groundTruth().fraudEventCount());
    for (LabelEvent label : quickData.labels()) {
      assertThat(label.labelTimeMillis() - times.get(label.eventId()))
          .isBetween(Duration.ofHours(1).toMillis(), Duration.ofHours(3).toMillis());
    }
  }
}
