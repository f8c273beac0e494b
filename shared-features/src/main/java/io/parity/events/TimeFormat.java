package io.parity.events;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Objects;

/**
 * How a source writes its timestamps, and the one place they are turned into epoch milliseconds.
 *
 * <p>Accepted values are bounded to years 1970..2199 so that a unit mix-up (seconds read as
 * milliseconds, or the reverse) is reported instead of silently producing dates in 1970 or the far
 * future.
 */
public final class TimeFormat {

  /** The kinds of timestamp a mapping can declare. */
  public enum Kind {
    ISO_8601,
    EPOCH_SECONDS,
    EPOCH_MILLIS,
    PATTERN
  }

  static final long MIN_MILLIS = 0L; // 1970-01-01T00:00:00Z
  static final long MAX_MILLIS = 7258118400000L; // 2200-01-01T00:00:00Z

  private final Kind kind;
  private final String pattern;
  private final ZoneId zone;
  private final DateTimeFormatter formatter;

  private TimeFormat(Kind kind, String pattern, ZoneId zone) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.pattern = pattern;
    this.zone = Objects.requireNonNull(zone, "zone");
    this.formatter =
        kind == Kind.PATTERN
            ? DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone)
            : null;
  }

  /** ISO-8601 instants; a value without an offset is read in {@code zone}. */
  public static TimeFormat iso8601(ZoneId zone) {
    return new TimeFormat(Kind.ISO_8601, null, zone);
  }

  public static TimeFormat epochSeconds() {
    return new TimeFormat(Kind.EPOCH_SECONDS, null, ZoneId.of("UTC"));
  }

  public static TimeFormat epochMillis() {
    return new TimeFormat(Kind.EPOCH_MILLIS, null, ZoneId.of("UTC"));
  }

  /**
   * A {@link DateTimeFormatter} pattern such as {@code yyyy-MM-dd HH:mm:ss}, read in {@code zone}.
   *
   * @throws IllegalArgumentException if the pattern is not a valid formatter pattern
   */
  public static TimeFormat pattern(String pattern, ZoneId zone) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("a time pattern is required for format 'pattern'");
    }
    try {
      return new TimeFormat(Kind.PATTERN, pattern, zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid time pattern '" + pattern + "': " + e.getMessage(), e);
    }
  }

  public Kind kind() {
    return kind;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The pattern for {@link Kind#PATTERN}, else {@code null}. */
  public String pattern() {
    return pattern;
  }

  /**
   * Parses one value (a string, or a number for the epoch kinds) to epoch milliseconds.
   *
   * @throws InvalidFieldException with a message that quotes the value and the expected form
   */
  public long toEpochMillis(Object value) {
    long millis =
        switch (kind) {
          case EPOCH_SECONDS -> fromEpoch(value, 1000, "epoch seconds");
          case EPOCH_MILLIS -> fromEpoch(value, 1, "epoch milliseconds");
          case ISO_8601 -> parseIso(asText(value, "an ISO-8601 timestamp"));
          case PATTERN -> parsePattern(asText(value, "a timestamp of pattern '" + pattern + "'"));
        };
    if (millis < MIN_MILLIS || millis >= MAX_MILLIS) {
      throw new InvalidFieldException(
          "'"
              + value
              + "' is "
              + Instant.ofEpochMilli(millis)
              + ", outside 1970..2199: check the time unit/format in the mapping (declared: "
              + describe()
              + ")");
    }
    return millis;
  }

  /** A human-readable description, as written in a mapping file. */
  public String describe() {
    return switch (kind) {
      case ISO_8601 -> "iso-8601 (zone " + zone + " when no offset is given)";
      case EPOCH_SECONDS -> "epoch-seconds";
      case EPOCH_MILLIS -> "epoch-millis";
      case PATTERN -> "pattern '" + pattern + "' in zone " + zone;
    };
  }

  private static String asText(Object value, String expected) {
    if (value instanceof String s) {
      return s.trim();
    }
    throw new InvalidFieldException(
        "expected " + expected + " as text, got " + TypeNames.of(value) + " " + value);
  }

  private static long fromEpoch(Object value, long factor, String expected) {
    BigDecimal number;
    if (value instanceof Number n && !(value instanceof Double d && !Double.isFinite(d))) {
      number = new BigDecimal(n.toString());
    } else if (value instanceof String s) {
      try {
        number = new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw new InvalidFieldException("'" + s + "' is not a number of " + expected);
      }
    } else {
      throw new InvalidFieldException(
          "expected a number of " + expected + ", got " + TypeNames.of(value) + " " + value);
    }
    try {
      // Sub-millisecond digits are truncated toward negative infinity, like Instant does.
      return number
          .multiply(BigDecimal.valueOf(factor))
          .setScale(0, java.math.RoundingMode.FLOOR)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new InvalidFieldException("'" + value + "' is out of range for " + expected);
    }
  }

  private long parseIso(String text) {
    try {
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(
              text, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof ZonedDateTime z) {
        return z.toInstant().toEpochMilli();
      }
      if (parsed instanceof OffsetDateTime o) {
        return o.toInstant().toEpochMilli();
      }
      return ((LocalDateTime) parsed).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new InvalidFieldException(
          "'" + text + "' is not an ISO-8601 timestamp (e.g. 2026-01-05T10:15:30.123Z)");
    }
  }

  private long parsePattern(String text) {
    try {
      TemporalAccessor parsed = formatter.parse(text);
      return ZonedDateTime.from(parsed).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      throw new InvalidFieldException(
          "'" + text + "' does not match the time pattern '" + pattern + "'");
    }
  }
}
