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

  /**
   * The value that distinct counts compare, or null when missing: text fields as they are, numbers
   * by their exact decimal form.
   */
  static String distinctValue(Field field, PaymentEvent e) {
    return switch (field) {
      case AMOUNT -> Double.toString(e.amount());
      case EVENT_TIME -> Long.toString(e.eventTimeMillis());
      case LATITUDE -> e.latitude() == null ? null : Double.toString(e.latitude());
      case LONGITUDE -> e.longitude() == null ? null : Double.toString(e.longitude());
      default -> text(field, e);
    };
  }
}
