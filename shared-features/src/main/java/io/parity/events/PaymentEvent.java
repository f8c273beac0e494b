package io.parity.events;

import java.util.Objects;

/**
 * A card payment, validated and typed: the input every feature is computed from.
 *
 * <p>Times are epoch milliseconds in event time (Beam's timestamp resolution). Optional fields are
 * {@code null} when the source does not have them; {@code currency} is always set (a mapping's
 * default fills it in).
 */
public record PaymentEvent(
    String eventId,
    long eventTimeMillis,
    String cardId,
    String merchantId,
    double amount,
    String currency,
    String merchantCategory,
    Double latitude,
    Double longitude,
    String channel) {

  public PaymentEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(cardId, "cardId");
    Objects.requireNonNull(merchantId, "merchantId");
    Objects.requireNonNull(currency, "currency");
    if ((latitude == null) != (longitude == null)) {
      throw new IllegalArgumentException("latitude and longitude must both be set or both be null");
    }
  }

  /** Whether the event carries a location. */
  public boolean hasLocation() {
    return latitude != null;
  }
}
