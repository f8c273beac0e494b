package io.parity.testdata;

/** How a payment reaches a terminal; {@link #code()} is the value of the event's channel field. */
public enum Channel {
  POS("pos"),
  ONLINE("online"),
  ATM("atm");

  private final String code;

  Channel(String code) {
    this.code = code;
  }

  /** The value written to the event's {@code channel} field. */
  public String code() {
    return code;
  }

  /** Whether payments on this channel carry the terminal's location. */
  public boolean hasLocation() {
    return this != ONLINE;
  }
}
