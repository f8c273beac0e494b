package io.parity.events;

import java.util.Objects;

/**
 * A label for a payment, known from {@code labelTimeMillis} on (e.g. a chargeback that arrives days
 * after the payment). A later label for the same event supersedes an earlier one.
 */
public record LabelEvent(String eventId, boolean fraud, long labelTimeMillis) {

  public LabelEvent {
    Objects.requireNonNull(eventId, "eventId");
  }
}
