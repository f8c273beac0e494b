package io.parity.testdata;

/**
 * Relative weights of the injected fraud kinds: the share of fraudulent events each kind should
 * produce. Weights need not sum to one; a zero weight turns a kind off.
 */
public record FraudMix(
    double cardBurst, double terminalCompromise, double largeAmount, double impossibleTravel) {

  public FraudMix {
    check("cardBurst", cardBurst);
    check("terminalCompromise", terminalCompromise);
    check("largeAmount", largeAmount);
    check("impossibleTravel", impossibleTravel);
    if (cardBurst + terminalCompromise + largeAmount + impossibleTravel <= 0) {
      throw new IllegalArgumentException(
          "fraud mix needs at least one positive weight (set the fraud rate to 0 for no fraud)");
    }
  }

  /** Bursts 40 %, terminals 25 %, large amounts 15 %, impossible travel 20 %. */
  public static FraudMix defaults() {
    return new FraudMix(0.40, 0.25, 0.15, 0.20);
  }

  /** The weight of one kind (0 for {@link FraudKind#NONE}). */
  public double weight(FraudKind kind) {
    return switch (kind) {
      case NONE -> 0;
      case CARD_BURST -> cardBurst;
      case TERMINAL_COMPROMISE -> terminalCompromise;
      case LARGE_AMOUNT -> largeAmount;
      case IMPOSSIBLE_TRAVEL -> impossibleTravel;
    };
  }

  /** The sum of all weights. */
  public double total() {
    return cardBurst + terminalCompromise + largeAmount + impossibleTravel;
  }

  private static void check(String name, double weight) {
    if (!Double.isFinite(weight) || weight < 0) {
      throw new IllegalArgumentException(
          "fraud mix weight " + name + " must be finite and >= 0, was " + weight);
    }
  }
}
