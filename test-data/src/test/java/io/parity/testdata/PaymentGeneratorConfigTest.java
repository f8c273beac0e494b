package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaymentGeneratorConfigTest {

  private final PaymentGeneratorConfig defaults = PaymentGeneratorConfig.defaults();

  @Test
  void defaultsAreDocumented() {
    assertThat(defaults.seed()).isEqualTo(42);
    assertThat(defaults.start()).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
    assertThat(defaults.end()).isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));
    assertThat(defaults.fraudRate()).isBetween(0.005, 0.02);
    assertThat(defaults.fraudLabelDelayTypical()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void withMethodsReturnChangedCopiesInAnyOrder() {
    PaymentGeneratorConfig a = defaults.withCards(5).withSeed(9).withDays(3);
    PaymentGeneratorConfig b = defaults.withDays(3).withSeed(9).withCards(5);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(defaults);
    assertThat(defaults.cards()).isEqualTo(1000);
    assertThat(a.cards()).isEqualTo(5);
    assertThat(a.toString()).contains("cards=5", "seed=9", "days=3");
  }

  @Test
  void everyKnobIsKept() {
    PaymentGeneratorConfig c =
        defaults
            .withStart(Instant.parse("2025-03-01T12:00:00Z"))
            .withMerchants(77)
            .withTransactionsPerCardPerDay(3.5)
            .withFraudRate(0.2)
            .withFraudMix(new FraudMix(1, 0, 0, 0))
            .withLargeFraudMinAmount(2500)
            .withFraudLabelDelay(Duration.ofHours(2), Duration.ofDays(2), Duration.ofDays(9))
            .withLateFraudLabelFraction(0.5)
            .withLegitLabelFraction(0.25)
            .withLegitLabelDelay(Duration.ofMinutes(5), Duration.ofHours(5))
            .withTripRate(0.1)
            .withMissingFieldRate(0.3);
    assertThat(c.start()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
    assertThat(c.merchants()).isEqualTo(77);
    assertThat(c.transactionsPerCardPerDay()).isEqualTo(3.5);
    assertThat(c.fraudRate()).isEqualTo(0.2);
    assertThat(c.fraudMix()).isEqualTo(new FraudMix(1, 0, 0, 0));
    assertThat(c.largeFraudMinAmount()).isEqualTo(2500);
    assertThat(c.fraudLabelDelayMin()).isEqualTo(Duration.ofHours(2));
    assertThat(c.fraudLabelDelayTypical()).isEqualTo(Duration.ofDays(2));
    assertThat(c.fraudLabelDelayMax()).isEqualTo(Duration.ofDays(9));
    assertThat(c.lateFraudLabelFraction()).isEqualTo(0.5);
    assertThat(c.legitLabelFraction()).isEqualTo(0.25);
    assertThat(c.legitLabelDelayMin()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.legitLabelDelayMax()).isEqualTo(Duration.ofHours(5));
    assertThat(c.tripRate()).isEqualTo(0.1);
    assertThat(c.missingFieldRate()).isEqualTo(0.3);
  }

  @Test
  void invalidValuesAreRejectedWithTheNameAndValue() {
    assertThatThrownBy(() -> defaults.withCards(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cards must be between 1 and 10000000, was 0");
    assertThatThrownBy(() -> defaults.withMerchants(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("merchants must be between 1 and 1000000, was -3");
    assertThatThrownBy(() -> defaults.withDays(0))
        .hasMessage("days must be between 1 and 3660, was 0");
    assertThatThrownBy(() -> defaults.withTransactionsPerCardPerDay(Double.NaN))
        .hasMessage("transactionsPerCardPerDay must be > 0 and <= 1000, was NaN");
    assertThatThrownBy(() -> defaults.withFraudRate(0.7))
        .hasMessage("fraudRate must be between 0 and 0.5, was 0.7");
    assertThatThrownBy(() -> defaults.withLegitLabelFraction(-0.1))
        .hasMessage("legitLabelFraction must be between 0 and 1, was -0.1");
    assertThatThrownBy(() -> defaults.withLateFraudLabelFraction(1.5))
        .hasMessage("lateFraudLabelFraction must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> defaults.withTripRate(2))
        .hasMessage("tripRate must be between 0 and 1, was 2.0");
    assertThatThrownBy(() -> defaults.withMissingFieldRate(-1))
        .hasMessage("missingFieldRate must be between 0 and 1, was -1.0");
    assertThatThrownBy(() -> defaults.withLargeFraudMinAmount(0))
        .hasMessage("largeFraudMinAmount must be between 1 and 1000000, was 0.0");
    assertThatThrownBy(() -> defaults.withStart(Instant.parse("1960-01-01T00:00:00Z")))
        .hasMessageContaining("start must be between 1970-01-01 and 9000-01-01");
    assertThatThrownBy(() -> defaults.withStart(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("start");
  }

  @Test
  void delaysMustBeOrdered() {
    assertThatThrownBy(
            () ->
                defaults.withFraudLabelDelay(
                    Duration.ofDays(8), Duration.ofDays(7), Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fraud label delay needs 0 < min <= typical <= max <= 365 days, was min=PT192H"
                + " typical=PT168H max=PT720H");
    assertThatThrownBy(
            () -> defaults.withFraudLabelDelay(Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageStartingWith("fraud label delay needs 0 < min");
    assertThatThrownBy(() -> defaults.withLegitLabelDelay(Duration.ofDays(2), Duration.ofDays(1)))
        .hasMessage("legit label delay needs 0 < min <= max <= 365 days, was min=PT48H max=PT24H");
  }

  @Test
  void fraudMixNeedsNonNegativeWeightsAndOnePositive() {
    assertThatThrownBy(() -> new FraudMix(-1, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fraud mix weight cardBurst must be finite and >= 0, was -1.0");
    assertThatThrownBy(() -> new FraudMix(0, 0, 0, 0))
        .hasMessageContaining("at least one positive weight");
    assertThat(FraudMix.defaults().total()).isEqualTo(1.0);
  }

  @Test
  void tooManyEventsAreRejectedBeforeGenerating() {
    PaymentGeneratorConfig huge =
        defaults.withCards(10_000_000).withDays(3660).withTransactionsPerCardPerDay(10);
    assertThatThrownBy(() -> PaymentGenerator.create(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 500000000 are supported");
  }
}
