package io.parity.testdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The canonical file layout of payments and labels, shared by every writer and reader: column
 * names, times as ISO-8601 UTC with exactly three fraction digits, amounts with two decimals.
 */
public final class CanonicalFormat {

  public static final String EVENT_ID = "event_id";
  public static final String EVENT_TIME = "event_time";
  public static final String CARD_ID = "card_id";
  public static final String MERCHANT_ID = "merchant_id";
  public static final String AMOUNT = "amount";
  public static final String CURRENCY = "currency";
  public static final String MERCHANT_CATEGORY = "merchant_category";
  public static final String LATITUDE = "latitude";
  public static final String LONGITUDE = "longitude";
  public static final String CHANNEL = "channel";
  public static final String LABEL = "label";
  public static final String LABEL_TIME = "label_time";
  public static final String FRAUD_KIND = "fraud_kind";
  public static final String INCIDENT_ID = "incident_id";

  /** Columns of a payment file, in order. */
  public static final List<String> EVENT_COLUMNS =
      List.of(
          EVENT_ID,
          EVENT_TIME,
          CARD_ID,
          MERCHANT_ID,
          AMOUNT,
          CURRENCY,
          MERCHANT_CATEGORY,
          LATITUDE,
          LONGITUDE,
          CHANNEL);

  /** Columns of a label file, in order. */
  public static final List<String> LABEL_COLUMNS = List.of(EVENT_ID, LABEL, LABEL_TIME);

  /** Columns of a ground-truth file (fraudulent events only), in order. */
  public static final List<String> GROUND_TRUTH_COLUMNS =
      List.of(EVENT_ID, FRAUD_KIND, INCIDENT_ID);

  // Instant.toString() drops zero fractions ("10:15:30Z"); a fixed pattern keeps every line alike.
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private CanonicalFormat() {}

  /** {@code 2026-01-05T10:15:30.120Z}. */
  public static String formatTime(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Parses any ISO-8601 instant (e.g. {@link #formatTime}'s output) to epoch milliseconds. */
  public static long parseTime(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO-8601 instant: '" + text + "'", e);
    }
  }

  /** Plain decimal with two digits, rounded half up to the cent: {@code 12.50}. */
  public static String formatAmount(double amount) {
    if (!Double.isFinite(amount) || Math.abs(amount) >= 1e15) {
      throw new IllegalArgumentException("amount must be finite and below 1e15, was " + amount);
    }
    long cents = Math.round(amount * 100);
    long abs = Math.abs(cents);
    long fraction = abs % 100;
    return (cents < 0 ? "-" : "") + (abs / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }

  /** Shortest plain decimal that parses back to the same double (never exponent notation). */
  public static String formatCoordinate(double degrees) {
    if (!Double.isFinite(degrees)) {
      throw new IllegalArgumentException("coordinate must be finite, was " + degrees);
    }
    return BigDecimal.valueOf(degrees).toPlainString();
  }

  /** Parses a decimal number, with the column named in the error. */
  public static double parseNumber(String column, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " is not a number: '" + text + "'", e);
    }
  }

  /** Parses {@code true} or {@code false} (nothing else). */
  public static boolean parseLabel(String text) {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(LABEL + " must be true or false, was '" + text + "'");
    };
  }
}
