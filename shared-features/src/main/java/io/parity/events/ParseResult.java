package io.parity.events;

/**
 * The outcome of parsing one source record: a payment (maybe with an inline label), a label, or the
 * reason the record was rejected. Exactly one of the three shapes is set.
 */
public record ParseResult(PaymentEvent payment, LabelEvent label, String error) {

  public static ParseResult ofPayment(PaymentEvent payment, LabelEvent inlineLabel) {
    return new ParseResult(payment, inlineLabel, null);
  }

  public static ParseResult ofLabel(LabelEvent label) {
    return new ParseResult(null, label, null);
  }

  public static ParseResult invalid(String reason) {
    return new ParseResult(null, null, reason);
  }

  public boolean isValid() {
    return error == null;
  }
}
