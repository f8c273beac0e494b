package io.parity.testdata;

import java.util.SplittableRandom;

/** Daily and weekly cycles of card spending, in the card holder's local time. */
final class Rhythms {

  private Rhythms() {}

  /** Relative activity Monday..Sunday (mean 1): busy Fridays and Saturdays, quiet Sundays. */
  static final double[] DAY_OF_WEEK_FACTOR = {0.93, 0.96, 0.98, 1.00, 1.12, 1.15, 0.86};

  /** Payments per local hour on a working day: little at night, peaks at lunch and evening. */
  private static final double[] WEEKDAY_HOURS = {
    0.30, 0.15, 0.10, 0.08, 0.08, 0.20, 0.60, 1.40, 2.20, 2.40, 2.60, 3.20, 4.60, 4.20, 3.00, 2.70,
    3.00, 3.80, 4.80, 4.60, 3.60, 2.40, 1.40, 0.70
  };

  /** Weekends start later, and spread over the afternoon and a longer evening. */
  private static final double[] WEEKEND_HOURS = {
    0.60, 0.40, 0.25, 0.15, 0.10, 0.10, 0.25, 0.50, 1.20, 2.00, 2.80, 3.40, 4.20, 4.20, 3.60, 3.40,
    3.40, 3.60, 4.20, 4.40, 3.80, 2.80, 1.80, 1.10
  };

  private static final double[] WEEKDAY_CUMULATIVE = Rand.cumulative(WEEKDAY_HOURS);
  private static final double[] WEEKEND_CUMULATIVE = Rand.cumulative(WEEKEND_HOURS);

  /** Upper bound of {@link #affinity}: the acceptance scale of the rejection sampling. */
  static final double MAX_AFFINITY = 2.0;

  private static final double[][] CATEGORY_AFFINITY =
      new double[MerchantCategory.values().length][];
  private static final double[] ONLINE_AFFINITY =
      hours(
          2.0, 2.0, 2.0, 2.0, 2.0, 1.6, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
          1.1, 1.3, 1.4, 1.4, 1.4, 1.6);

  static {
    CATEGORY_AFFINITY[MerchantCategory.GROCERY.ordinal()] =
        hours(
            0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.5, 1.5, 1.5,
            1.5, 0.8, 0.3, 0.3);
    CATEGORY_AFFINITY[MerchantCategory.FUEL.ordinal()] =
        hours(
            0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.5, 1.5, 1.5, 1.5, 1, 1, 1, 1, 1, 1, 1.4, 1.4, 1.4, 1.4,
            0.6, 0.6, 0.6, 0.6);
    CATEGORY_AFFINITY[MerchantCategory.RESTAURANT.ordinal()] =
        hours(
            0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.5, 0.5, 0.5, 0.5, 0.5, 1.2, 2, 2, 2, 0.6, 0.6,
            0.6, 1.2, 2, 2, 2, 2, 0.8);
    CATEGORY_AFFINITY[MerchantCategory.ELECTRONICS.ordinal()] =
        hours(
            0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.3, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2,
            1.2, 1.2, 1.2, 1.2, 0.6, 0.1, 0.05, 0.05);
    CATEGORY_AFFINITY[MerchantCategory.TRAVEL.ordinal()] =
        hours(
            0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.5);
    CATEGORY_AFFINITY[MerchantCategory.ONLINE_RETAIL.ordinal()] = ONLINE_AFFINITY;
    CATEGORY_AFFINITY[MerchantCategory.JEWELRY.ordinal()] =
        hours(
            0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3,
            1.3, 1.3, 1.3, 1.3, 0.1, 0.02, 0.02, 0.02);
    CATEGORY_AFFINITY[MerchantCategory.CASH.ordinal()] =
        hours(
            0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2, 1.2, 1.2, 1,
            0.8, 0.6);
  }

  private static double[] hours(double... values) {
    if (values.length != 24) {
      throw new IllegalStateException("an hourly profile needs 24 values, has " + values.length);
    }
    return values;
  }

  /** Monday = 0 .. Sunday = 6 of a UTC epoch day (1970-01-01 was a Thursday). */
  static int dayOfWeek(long epochDay) {
    return (int) Math.floorMod(epochDay + 3, 7L);
  }

  static boolean isWeekend(int dayOfWeek) {
    return dayOfWeek >= 5;
  }

  /** A local hour of day with the day's profile. */
  static int sampleHour(SplittableRandom rng, boolean weekend) {
    return Rand.weighted(rng, weekend ? WEEKEND_CUMULATIVE : WEEKDAY_CUMULATIVE);
  }

  /**
   * How much a terminal's category (or the online channel) favours a local hour, relative to the
   * general profile: restaurants at lunch and dinner, fuel at commuting hours, web shops at night.
   */
  static double affinity(MerchantCategory category, Channel channel, int hour) {
    return channel == Channel.ONLINE
        ? ONLINE_AFFINITY[hour]
        : CATEGORY_AFFINITY[category.ordinal()][hour];
  }
}
