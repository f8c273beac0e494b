package io.parity.events;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The canonical fields a mapping file can map a source column to. */
public enum Field {
  EVENT_ID,
  EVENT_TIME,
  CARD_ID,
  MERCHANT_ID,
  AMOUNT,
  CURRENCY,
  MERCHANT_CATEGORY,
  LATITUDE,
  LONGITUDE,
  CHANNEL,
  LABEL,
  LABEL_TIME;

  static final Set<Field> PAYMENT_REQUIRED =
      EnumSet.of(EVENT_ID, EVENT_TIME, CARD_ID, MERCHANT_ID, AMOUNT);
  static final Set<Field> LABEL_REQUIRED = EnumSet.of(EVENT_ID, LABEL, LABEL_TIME);
  static final Set<Field> LABEL_ALLOWED = EnumSet.of(EVENT_ID, LABEL, LABEL_TIME);

  /** The name used in mapping files and dead-letter reasons, e.g. {@code event_time}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Field> fromKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key().equals(key)).findFirst();
  }

  static String keys(Set<Field> fields) {
    return fields.stream().map(Field::key).collect(Collectors.joining(", "));
  }
}
