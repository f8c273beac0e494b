package io.parity.testdata;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Immutable configuration of {@link PaymentGenerator}: start from {@link #defaults()} and change
 * what you need with the {@code withX} methods, which validate their argument and can be called in
 * any order.
 */
public final class PaymentGeneratorConfig {

  private static final Duration MAX_DELAY = Duration.ofDays(365);

  private final long seed;
  private final Instant start;
  private final int days;
  private final int cards;
  private final int merchants;
  private final double transactionsPerCardPerDay;
  private final double fraudRate;
  private final FraudMix fraudMix;
  private final double largeFraudMinAmount;
  private final Duration fraudLabelDelayMin;
  private final Duration fraudLabelDelayTypical;
  private final Duration fraudLabelDelayMax;
  private final double lateFraudLabelFraction;
  private final double legitLabelFraction;
  private final Duration legitLabelDelayMin;
  private final Duration legitLabelDelayMax;
  private final double tripRate;
  private final double missingFieldRate;

  private PaymentGeneratorConfig(Values v) {
    this.seed = v.seed;
    this.start = v.start;
    this.days = v.days;
    this.cards = v.cards;
    this.merchants = v.merchants;
    this.transactionsPerCardPerDay = v.transactionsPerCardPerDay;
    this.fraudRate = v.fraudRate;
    this.fraudMix = v.fraudMix;
    this.largeFraudMinAmount = v.largeFraudMinAmount;
    this.fraudLabelDelayMin = v.fraudLabelDelayMin;
    this.fraudLabelDelayTypical = v.fraudLabelDelayTypical;
    this.fraudLabelDelayMax = v.fraudLabelDelayMax;
    this.lateFraudLabelFraction = v.lateFraudLabelFraction;
    this.legitLabelFraction = v.legitLabelFraction;
    this.legitLabelDelayMin = v.legitLabelDelayMin;
    this.legitLabelDelayMax = v.legitLabelDelayMax;
    this.tripRate = v.tripRate;
    this.missingFieldRate = v.missingFieldRate;
  }

  /** A mutable copy of the fields, only ever used to build the next immutable config. */
  private static final class Values {
    private long seed;
    private Instant start;
    private int days;
    private int cards;
    private int merchants;
    private double transactionsPerCardPerDay;
    private double fraudRate;
    private FraudMix fraudMix;
    private double largeFraudMinAmount;
    private Duration fraudLabelDelayMin;
    private Duration fraudLabelDelayTypical;
    private Duration fraudLabelDelayMax;
    private double lateFraudLabelFraction;
    private double legitLabelFraction;
    private Duration legitLabelDelayMin;
    private Duration legitLabelDelayMax;
    private double tripRate;
    private double missingFieldRate;
  }

  private Values values() {
    Values v = new Values();
    v.seed = seed;
    v.start = start;
    v.days = days;
    v.cards = cards;
    v.merchants = merchants;
    v.transactionsPerCardPerDay = transactionsPerCardPerDay;
    v.fraudRate = fraudRate;
    v.fraudMix = fraudMix;
    v.largeFraudMinAmount = largeFraudMinAmount;
    v.fraudLabelDelayMin = fraudLabelDelayMin;
    v.fraudLabelDelayTypical = fraudLabelDelayTypical;
    v.fraudLabelDelayMax = fraudLabelDelayMax;
    v.lateFraudLabelFraction = lateFraudLabelFraction;
    v.legitLabelFraction = legitLabelFraction;
    v.legitLabelDelayMin = legitLabelDelayMin;
    v.legitLabelDelayMax = legitLabelDelayMax;
    v.tripRate = tripRate;
    v.missingFieldRate = missingFieldRate;
    return v;
  }

  /**
   * Seed 42, 7 days from Monday 2026-01-05T00:00Z, 1000 cards, 200 merchants, 2 payments per card
   * and day, 1 % fraud, fraud labels after 1-30 days (typically 7), 10 % of legitimate payments
   * confirmed after 1 hour to 3 days.
   */
  public static PaymentGeneratorConfig defaults() {
    Values v = new Values();
    v.seed = 42L;
    v.start = Instant.parse("2026-01-05T00:00:00Z");
    v.days = 7;
    v.cards = 1000;
    v.merchants = 200;
    v.transactionsPerCardPerDay = 2.0;
    v.fraudRate = 0.01;
    v.fraudMix = FraudMix.defaults();
    v.largeFraudMinAmount = 1000.0;
    v.fraudLabelDelayMin = Duration.ofDays(1);
    v.fraudLabelDelayTypical = Duration.ofDays(7);
    v.fraudLabelDelayMax = Duration.ofDays(30);
    v.lateFraudLabelFraction = 0.05;
    v.legitLabelFraction = 0.10;
    v.legitLabelDelayMin = Duration.ofHours(1);
    v.legitLabelDelayMax = Duration.ofDays(3);
    v.tripRate = 0.004;
    v.missingFieldRate = 0.02;
    return new PaymentGeneratorConfig(v);
  }

  /** The random seed: the same seed and configuration give exactly the same data. */
  public PaymentGeneratorConfig withSeed(long seed) {
    Values copy = values();
    copy.seed = seed;
    return new PaymentGeneratorConfig(copy);
  }

  /** The first instant of generated event time (inclusive). */
  public PaymentGeneratorConfig withStart(Instant start) {
    Objects.requireNonNull(start, "start");
    if (start.isBefore(Instant.EPOCH) || start.isAfter(Instant.parse("9000-01-01T00:00:00Z"))) {
      throw new IllegalArgumentException(
          "start must be between 1970-01-01 and 9000-01-01, was " + start);
    }
    Values copy = values();
    copy.start = start;
    return new PaymentGeneratorConfig(copy);
  }

  /** How many days (of 24 hours from the start) of event time to generate. */
  public PaymentGeneratorConfig withDays(int days) {
    if (days < 1 || days > 3660) {
      throw new IllegalArgumentException("days must be between 1 and 3660, was " + days);
    }
    Values copy = values();
    copy.days = days;
    return new PaymentGeneratorConfig(copy);
  }

  /** How many cards (card holders) to simulate. */
  public PaymentGeneratorConfig withCards(int cards) {
    if (cards < 1 || cards > 10_000_000) {
      throw new IllegalArgumentException("cards must be between 1 and 10000000, was " + cards);
    }
    Values copy = values();
    copy.cards = cards;
    return new PaymentGeneratorConfig(copy);
  }

  /** How many merchant terminals to simulate (each has its own id, category, location, channel). */
  public PaymentGeneratorConfig withMerchants(int merchants) {
    if (merchants < 1 || merchants > 1_000_000) {
      throw new IllegalArgumentException(
          "merchants must be between 1 and 1000000, was " + merchants);
    }
    Values copy = values();
    copy.merchants = merchants;
    return new PaymentGeneratorConfig(copy);
  }

  /** Mean number of legitimate payments per card and day (individual cards vary around it). */
  public PaymentGeneratorConfig withTransactionsPerCardPerDay(double transactionsPerCardPerDay) {
    if (!(transactionsPerCardPerDay > 0) || transactionsPerCardPerDay > 1000) {
      throw new IllegalArgumentException(
          "transactionsPerCardPerDay must be > 0 and <= 1000, was " + transactionsPerCardPerDay);
    }
    Values copy = values();
    copy.transactionsPerCardPerDay = transactionsPerCardPerDay;
    return new PaymentGeneratorConfig(copy);
  }

  /**
   * Target share of fraudulent events among all events, in [0, 0.5]. Fraud comes in incidents, so
   * the realised rate is close to, not exactly, the target; every kind with a positive weight gets
   * at least one incident when the rate is positive.
   */
  public PaymentGeneratorConfig withFraudRate(double fraudRate) {
    if (!(fraudRate >= 0 && fraudRate <= 0.5)) {
      throw new IllegalArgumentException("fraudRate must be between 0 and 0.5, was " + fraudRate);
    }
    Values copy = values();
    copy.fraudRate = fraudRate;
    return new PaymentGeneratorConfig(copy);
  }

  /** Relative weights of the fraud kinds. */
  public PaymentGeneratorConfig withFraudMix(FraudMix fraudMix) {
    Objects.requireNonNull(fraudMix, "fraudMix");
    Values copy = values();
    copy.fraudMix = fraudMix;
    return new PaymentGeneratorConfig(copy);
  }

  /** Smallest amount of a {@link FraudKind#LARGE_AMOUNT} fraud (they range up to 6 times this). */
  public PaymentGeneratorConfig withLargeFraudMinAmount(double largeFraudMinAmount) {
    if (!(largeFraudMinAmount >= 1) || largeFraudMinAmount > 1_000_000) {
      throw new IllegalArgumentException(
          "largeFraudMinAmount must be between 1 and 1000000, was " + largeFraudMinAmount);
    }
    Values copy = values();
    copy.largeFraudMinAmount = largeFraudMinAmount;
    return new PaymentGeneratorConfig(copy);
  }

  /**
   * Delay of a fraud label (a chargeback) after its payment: log-normal around {@code typical},
   * kept within {@code [min, max]}. Requires {@code 0 < min <= typical <= max <= 365 days}.
   */
  public PaymentGeneratorConfig withFraudLabelDelay(Duration min, Duration typical, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(typical, "typical");
    Objects.requireNonNull(max, "max");
    if (min.toMillis() <= 0
        || typical.compareTo(min) < 0
        || max.compareTo(typical) < 0
        || max.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          "fraud label delay needs 0 < min <= typical <= max <= 365 days, was min="
              + min
              + " typical="
              + typical
              + " max="
              + max);
    }
    Values copy = values();
    copy.fraudLabelDelayMin = min;
    copy.fraudLabelDelayTypical = typical;
    copy.fraudLabelDelayMax = max;
    return new PaymentGeneratorConfig(copy);
  }

  /**
   * Share of frauds labelled only late: after more than the maximum fraud label delay (between once
   * and three times it), in [0, 1].
   */
  public PaymentGeneratorConfig withLateFraudLabelFraction(double lateFraudLabelFraction) {
    checkFraction("lateFraudLabelFraction", lateFraudLabelFraction);
    Values copy = values();
    copy.lateFraudLabelFraction = lateFraudLabelFraction;
    return new PaymentGeneratorConfig(copy);
  }

  /** Share of legitimate payments that get an explicit {@code fraud=false} label, in [0, 1]. */
  public PaymentGeneratorConfig withLegitLabelFraction(double legitLabelFraction) {
    checkFraction("legitLabelFraction", legitLabelFraction);
    Values copy = values();
    copy.legitLabelFraction = legitLabelFraction;
    return new PaymentGeneratorConfig(copy);
  }

  /**
   * Delay of a legitimate payment's label (a confirmation), uniform in {@code [min, max]}. Requires
   * {@code 0 < min <= max <= 365 days}.
   */
  public PaymentGeneratorConfig withLegitLabelDelay(Duration min, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.toMillis() <= 0 || max.compareTo(min) < 0 || max.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          "legit label delay needs 0 < min <= max <= 365 days, was min=" + min + " max=" + max);
    }
    Values copy = values();
    copy.legitLabelDelayMin = min;
    copy.legitLabelDelayMax = max;
    return new PaymentGeneratorConfig(copy);
  }

  /**
   * Probability that a card holder starts a (legitimate) trip to another city on a given day, in
   * [0, 1]. Trips take plausible travel time, so they never look like impossible travel.
   */
  public PaymentGeneratorConfig withTripRate(double tripRate) {
    checkFraction("tripRate", tripRate);
    Values copy = values();
    copy.tripRate = tripRate;
    return new PaymentGeneratorConfig(copy);
  }

  /**
   * Share of merchants that do not report their category, and (independently) of merchants that do
   * not report their channel, in [0, 1]: their events carry a null field.
   */
  public PaymentGeneratorConfig withMissingFieldRate(double missingFieldRate) {
    checkFraction("missingFieldRate", missingFieldRate);
    Values copy = values();
    copy.missingFieldRate = missingFieldRate;
    return new PaymentGeneratorConfig(copy);
  }

  private static void checkFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
    }
  }

  public long seed() {
    return seed;
  }

  public Instant start() {
    return start;
  }

  /** The end of generated event time (exclusive): start plus days. */
  public Instant end() {
    return start.plus(Duration.ofDays(days));
  }

  public int days() {
    return days;
  }

  public int cards() {
    return cards;
  }

  public int merchants() {
    return merchants;
  }

  public double transactionsPerCardPerDay() {
    return transactionsPerCardPerDay;
  }

  public double fraudRate() {
    return fraudRate;
  }

  public FraudMix fraudMix() {
    return fraudMix;
  }

  public double largeFraudMinAmount() {
    return largeFraudMinAmount;
  }

  public Duration fraudLabelDelayMin() {
    return fraudLabelDelayMin;
  }

  public Duration fraudLabelDelayTypical() {
    return fraudLabelDelayTypical;
  }

  public Duration fraudLabelDelayMax() {
    return fraudLabelDelayMax;
  }

  public double lateFraudLabelFraction() {
    return lateFraudLabelFraction;
  }

  public double legitLabelFraction() {
    return legitLabelFraction;
  }

  public Duration legitLabelDelayMin() {
    return legitLabelDelayMin;
  }

  public Duration legitLabelDelayMax() {
    return legitLabelDelayMax;
  }

  public double tripRate() {
    return tripRate;
  }

  public double missingFieldRate() {
    return missingFieldRate;
  }

  /** Expected number of legitimate events: cards x days x transactions per card and day. */
  public double expectedLegitimateEvents() {
    return (double) cards * days * transactionsPerCardPerDay;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PaymentGeneratorConfig that)) {
      return false;
    }
    return seed == that.seed
        && days == that.days
        && cards == that.cards
        && merchants == that.merchants
        && Double.compare(transactionsPerCardPerDay, that.transactionsPerCardPerDay) == 0
        && Double.compare(fraudRate, that.fraudRate) == 0
        && Double.compare(largeFraudMinAmount, that.largeFraudMinAmount) == 0
        && Double.compare(lateFraudLabelFraction, that.lateFraudLabelFraction) == 0
        && Double.compare(legitLabelFraction, that.legitLabelFraction) == 0
        && Double.compare(tripRate, that.tripRate) == 0
        && Double.compare(missingFieldRate, that.missingFieldRate) == 0
        && start.equals(that.start)
        && fraudMix.equals(that.fraudMix)
        && fraudLabelDelayMin.equals(that.fraudLabelDelayMin)
        && fraudLabelDelayTypical.equals(that.fraudLabelDelayTypical)
        && fraudLabelDelayMax.equals(that.fraudLabelDelayMax)
        && legitLabelDelayMin.equals(that.legitLabelDelayMin)
        && legitLabelDelayMax.equals(that.legitLabelDelayMax);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        seed,
        start,
        days,
        cards,
        merchants,
        transactionsPerCardPerDay,
        fraudRate,
        fraudMix,
        largeFraudMinAmount,
        fraudLabelDelayMin,
        fraudLabelDelayTypical,
        fraudLabelDelayMax,
        lateFraudLabelFraction,
        legitLabelFraction,
        legitLabelDelayMin,
        legitLabelDelayMax,
        tripRate,
        missingFieldRate);
  }

  @Override
  public String toString() {
    return "PaymentGeneratorConfig{seed="
        + seed
        + ", start="
        + start
        + ", days="
        + days
        + ", cards="
        + cards
        + ", merchants="
        + merchants
        + ", transactionsPerCardPerDay="
        + transactionsPerCardPerDay
        + ", fraudRate="
        + fraudRate
        + ", fraudMix="
        + fraudMix
        + ", largeFraudMinAmount="
        + largeFraudMinAmount
        + ", fraudLabelDelay=["
        + fraudLabelDelayMin
        + ", "
        + fraudLabelDelayTypical
        + ", "
        + fraudLabelDelayMax
        + "], lateFraudLabelFraction="
        + lateFraudLabelFraction
        + ", legitLabelFraction="
        + legitLabelFraction
        + ", legitLabelDelay=["
        + legitLabelDelayMin
        + ", "
        + legitLabelDelayMax
        + "], tripRate="
        + tripRate
        + ", missingFieldRate="
        + missingFieldRate
        + "}";
  }
}
