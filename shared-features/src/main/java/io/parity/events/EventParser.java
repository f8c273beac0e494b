package io.parity.events;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one decoded source record (column name to value: text, number, boolean, or null) into a
 * validated event, or into a precise reason for rejecting it. This is the single definition of a
 * valid event, shared by the batch and the streaming pipelines.
 *
 * <p>Rules: ids are non-empty text (integral numbers are accepted and written in plain form);
 * amounts are finite and not negative (numbers, or numeric text); a missing currency takes the
 * mapping's default and any currency must be an ISO-4217 code (and in the mapping's allow-list if
 * it has one); latitude and longitude come together and within range; timestamps follow the
 * mapping's time format. All problems of a record are reported together.
 */
public final class EventParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FieldMapping mapping;

  public EventParser(FieldMapping mapping) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
  }

  public FieldMapping mapping() {
    return mapping;
  }

  /** Parses one record according to the mapping's kind. */
  public ParseResult parse(Map<String, ?> row) {
    Reader r = new Reader(row);
    return mapping.kind() == FieldMapping.Kind.LABELS ? parseLabel(r) : parsePayment(r);
  }

  private ParseResult parsePayment(Reader r) {
    String eventId = r.id(Field.EVENT_ID);
    Long eventTime = r.time(Field.EVENT_TIME);
    String cardId = r.id(Field.CARD_ID);
    String merchantId = r.id(Field.MERCHANT_ID);
    Double amount = r.amount(Field.AMOUNT);
    String currency = r.currency(Field.CURRENCY);
    String category = r.optionalText(Field.MERCHANT_CATEGORY);
    Double lat = r.coordinate(Field.LATITUDE, 90);
    Double lon = r.coordinate(Field.LONGITUDE, 180);
    if ((lat == null) != (lon == null) && r.errors.isEmpty()) {
      r.errors.add("latitude/longitude: only one of the two is present; give both or neither");
    }
    String channel = r.optionalText(Field.CHANNEL);
    LabelEvent label = null;
    if (mapping.maps(Field.LABEL)) {
      Boolean fraud = r.optionalLabel(Field.LABEL);
      Long labelTime = mapping.maps(Field.LABEL_TIME) ? r.optionalTime(Field.LABEL_TIME) : null;
      if (fraud != null && r.errors.isEmpty()) {
        if (labelTime == null) {
          if (mapping.labelDelay() == null) {
            r.errors.add("label_time (column '" + mapping.column(Field.LABEL_TIME) + "'): missing");
          } else {
            labelTime = eventTime + mapping.labelDelay().toMillis();
          }
        }
        if (labelTime != null && labelTime < eventTime) {
          r.errors.add("label_time: " + labelTime + " is before the event time " + eventTime);
        } else if (labelTime != null) {
          label = new LabelEvent(eventId, fraud, labelTime);
        }
      }
    }
    if (!r.errors.isEmpty()) {
      return ParseResult.invalid(String.join("; ", r.errors));
    }
    boolean bothCoordinates = lat != null && lon != null;
    return ParseResult.ofPayment(
        new PaymentEvent(
            eventId,
            eventTime,
            cardId,
            merchantId,
            amount,
            currency,
            category,
            bothCoordinates ? lat : null,
            bothCoordinates ? lon : null,
            channel),
        label);
  }

  private ParseResult parseLabel(Reader r) {
    String eventId = r.id(Field.EVENT_ID);
    Boolean fraud = r.label(Field.LABEL);
    Long labelTime = r.time(Field.LABEL_TIME);
    if (!r.errors.isEmpty()) {
      return ParseResult.invalid(String.join("; ", r.errors));
    }
    return ParseResult.ofLabel(new LabelEvent(eventId, fraud, labelTime));
  }

  /** Reads fields of one row, collecting every problem instead of stopping at the first. */
  private final class Reader {
    final Map<String, ?> row;
    final List<String> errors = new ArrayList<>(2);

    Reader(Map<String, ?> row) {
      this.row = row;
    }

    private String where(Field f) {
      return f.key() + " (column '" + mapping.column(f) + "')";
    }

    /** The value, or null when unmapped, absent, JSON null or blank text. */
    private Object raw(Field f) {
      String column = mapping.column(f);
      if (column == null) {
        return null;
      }
      Object v = row.get(column);
      if (v instanceof String s && s.isBlank()) {
        return null;
      }
      return v;
    }

    private Object required(Field f) {
      Object v = raw(f);
      if (v == null) {
        errors.add(where(f) + ": missing");
      }
      return v;
    }

    private boolean wrongType(Field f, Object v, String expected) {
      if (v instanceof Map || v instanceof List) {
        errors.add(where(f) + ": expected " + expected + ", got " + TypeNames.of(v));
        return true;
      }
      return false;
    }

    String id(Field f) {
      Object v = required(f);
      if (v == null || wrongType(f, v, "text")) {
        return null;
      }
      if (v instanceof String s) {
        return s.trim();
      }
      if (v instanceof Number n && isIntegral(n)) {
        return new BigDecimal(n.toString()).toBigIntegerExact().toString();
      }
      errors.add(where(f) + ": expected text, got " + TypeNames.of(v) + " " + v);
      return null;
    }

    String optionalText(Field f) {
      Object v = raw(f);
      if (v == null || wrongType(f, v, "text")) {
        return null;
      }
      if (v instanceof Number n && isIntegral(n)) {
        return new BigDecimal(n.toString()).toBigIntegerExact().toString();
      }
      if (v instanceof Boolean || v instanceof Number) {
        errors.add(where(f) + ": expected text, got " + TypeNames.of(v) + " " + v);
        return null;
      }
      return v.toString().trim();
    }

    Long time(Field f) {
      Object v = required(f);
      return v == null ? null : toTime(f, v);
    }

    Long optionalTime(Field f) {
      Object v = raw(f);
      return v == null ? null : toTime(f, v);
    }

    private Long toTime(Field f, Object v) {
      if (wrongType(f, v, "a timestamp")) {
        return null;
      }
      try {
        return mapping.timeFormat().toEpochMillis(v);
      } catch (InvalidFieldException e) {
        errors.add(where(f) + ": " + e.getMessage());
        return null;
      }
    }

    Double amount(Field f) {
      Object v = required(f);
      if (v == null || wrongType(f, v, "a number")) {
        return null;
      }
      Double d = toDouble(f, v);
      if (d == null) {
        return null;
      }
      if (!Double.isFinite(d)) {
        errors.add(where(f) + ": " + v + " is not a finite number");
        return null;
      }
      if (d < 0) {
        errors.add(where(f) + ": " + v + " is negative");
        return null;
      }
      return d == 0 ? 0.0 : d; // -0.0 and 0.0 must not differ downstream
    }

    Double coordinate(Field f, double limit) {
      Object v = raw(f);
      if (v == null || wrongType(f, v, "a number")) {
        return null;
      }
      Double d = toDouble(f, v);
      if (d == null) {
        return null;
      }
      if (!(d >= -limit && d <= limit)) {
        errors.add(where(f) + ": " + v + " is outside [-" + (int) limit + ", " + (int) limit + "]");
        return null;
      }
      return d == 0 ? 0.0 : d;
    }

    /** A number, or numeric text; null (with an error recorded) for anything else. */
    private Double toDouble(Field f, Object v) {
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      if (v instanceof String s) {
        String t = s.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
          case "nan" -> {
            return Double.NaN;
          }
          case "infinity", "+infinity", "inf" -> {
            return Double.POSITIVE_INFINITY;
          }
          case "-infinity", "-inf" -> {
            return Double.NEGATIVE_INFINITY;
          }
          default -> {}
        }
        try {
          // BigDecimal rejects hex floats and trailing 'd'/'f' that Double.parseDouble accepts.
          return new BigDecimal(t).doubleValue();
        } catch (NumberFormatException e) {
          errors.add(where(f) + ": '" + s + "' is not a number");
          return null;
        }
      }
      errors.add(where(f) + ": expected a number, got " + TypeNames.of(v) + " " + v);
      return null;
    }

    String currency(Field f) {
      if (raw(f) == null) {
        return mapping.defaultCurrency();
      }
      String c = optionalText(f);
      if (c == null) {
        return null; // the type error is recorded
      }
      String code = c.toUpperCase(Locale.ROOT);
      if (!FieldMapping.isCurrency(code)) {
        errors.add(where(f) + ": '" + c + "' is not an ISO-4217 currency code");
        return null;
      }
      if (!mapping.currencies().isEmpty() && !mapping.currencies().contains(code)) {
        errors.add(
            where(f)
                + ": '"
                + c
                + "' is not an accepted currency ("
                + String.join(", ", mapping.currencies())
                + ")");
        return null;
      }
      return code;
    }

    Boolean label(Field f) {
      Object v = required(f);
      return v == null ? null : toLabel(f, v);
    }

    Boolean optionalLabel(Field f) {
      Object v = raw(f);
      return v == null ? null : toLabel(f, v);
    }

    private Boolean toLabel(Field f, Object v) {
      if (v instanceof Boolean b) {
        return b;
      }
      if (v instanceof Number n && isIntegral(n)) {
        long l = n.longValue();
        if (l == 0 || l == 1) {
          return l == 1;
        }
      }
      if (v instanceof String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
          case "true", "1", "yes", "fraud" -> {
            return true;
          }
          case "false", "0", "no", "legit", "genuine" -> {
            return false;
          }
          default -> {}
        }
      }
      errors.add(
          where(f)
              + ": expected true/false, 1/0, yes/no or fraud/legit, got "
              + TypeNames.of(v)
              + " "
              + v);
      return null;
    }
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return true;
    }
    if (n instanceof java.math.BigInteger) {
      return true;
    }
    try {
      return new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0;
    } catch (NumberFormatException e) {
      return false; // NaN or infinity
    }
  }
}
