package io.parity.scoring;

import java.io.Serializable;

/**
 * The decision policy on a score: {@code approve} below {@code review}, {@code review} from it,
 * {@code decline} from {@code decline}.
 */
public record Thresholds(double review, double decline) implements Serializable {

  /** What the speed layer answers for one payment. */
  public enum Decision {
    APPROVE,
    REVIEW,
    DECLINE;

    /** The lower-case name used on the wire. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Thresholds {
    if (!(review >= 0 && review <= 1) || !(decline >= 0 && decline <= 1)) {
      throw new IllegalArgumentException(
          "thresholds must be in [0, 1], got review " + review + ", decline " + decline);
    }
    if (review > decline) {
      throw new IllegalArgumentException(
          "the review threshold ("
              + review
              + ") must not exceed the decline threshold ("
              + decline
              + ")");
    }
  }

  public Decision decide(double score) {
    if (score >= decline) {
      return Decision.DECLINE;
    }
    return score >= review ? Decision.REVIEW : Decision.APPROVE;
  }
}
