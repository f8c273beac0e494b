package io.parity.testdata;

import java.util.Locale;

/** The kind of injected fraud behind a generated payment ({@link #NONE} for a legitimate one). */
public enum FraudKind {
  /** Legitimate payment. */
  NONE,
  /** A compromised card: a burst of payments within minutes or hours at unusual merchants. */
  CARD_BURST,
  /** A compromised terminal: many different cards are charged there over some days. */
  TERMINAL_COMPROMISE,
  /** A single very large payment. */
  LARGE_AMOUNT,
  /** A card used far from its previous location, sooner than anyone could travel there. */
  IMPOSSIBLE_TRAVEL;

  /** Whether this kind is fraud. */
  public boolean isFraud() {
    return this != NONE;
  }

  /** The lower-case name written to files, e.g. {@code card_burst}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind with the given {@link #code()} (case-insensitive). */
  public static FraudKind fromCode(String code) {
    for (FraudKind kind : values()) {
      if (kind.code().equalsIgnoreCase(code)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown fraud kind: " + code);
  }
}
