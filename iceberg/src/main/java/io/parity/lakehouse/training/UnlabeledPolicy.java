package io.parity.lakehouse.training;

import java.util.Locale;

/** What a training set does with an event that has no label known at its as-of time. */
public enum UnlabeledPolicy {
  /** Keep the event with label {@code false} (legitimate until proven fraud). */
  NEGATIVE,
  /** Drop the event from the set (it is counted in the manifest). */
  EXCLUDE;

  /** Parses {@code negative} or {@code exclude} (any case). */
  public static UnlabeledPolicy parse(String text) {
    if (text != null) {
      for (UnlabeledPolicy p : values()) {
        if (p.name().equalsIgnoreCase(text.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown unlabeled policy '" + text + "': use negative or exclude");
  }

  /** The lower-case name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
