package io.parity.features;

import io.parity.events.Field;
import io.parity.events.PaymentEvent;

/** Reads a canonical field of a payment, the same way for every feature. */
final class EventFields {
  private EventFields() {}

  /** A text field's value, or null when missing. */
  static String text(Field field, PaymentEvent e) {
    return switch (field) {
      case EVENT_ID -> e.eventId();
      case CARD_ID -> e.cardId();
      case MERCHANT_ID -> e.merchantId();
      case CURRENCY -> e.currency();
      case MERCHANT_CATEGORY -> e.merchantCategory();
      case CHANNEL -> e.channel();
      default -> throw new IllegalArgumentException(field.key() + " is not a text field");
    };
  }

  /** The value that distinct counts compare: text fields as is, amounts by their decimal form. */
  static String distinctValue(Field field, PaymentEvent e) {
    return field == Field.AMOUNT ? Double.toString(e.amount()) : text(field, e);
  }
}
