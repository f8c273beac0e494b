package io.parity.testdata;

/**
 * The merchant categories the generator knows (MCC-like), each with its own amount scale, inherent
 * fraud risk, channel mix and hours; {@link #code()} is the event's merchant category value.
 */
public enum MerchantCategory {
  GROCERY("grocery", 5411, 0.22, 32.0, 0.70, 0.15, 0.97, 0.03, 0.0),
  FUEL("fuel", 5541, 0.10, 55.0, 0.35, 0.25, 1.0, 0.0, 0.0),
  RESTAURANT("restaurant", 5812, 0.24, 24.0, 0.60, 0.10, 0.90, 0.10, 0.0),
  ELECTRONICS("electronics", 5732, 0.08, 160.0, 0.90, 0.80, 0.50, 0.50, 0.0),
  TRAVEL("travel", 4722, 0.05, 380.0, 0.80, 0.60, 0.20, 0.80, 0.0),
  ONLINE_RETAIL("online_retail", 5969, 0.16, 45.0, 0.90, 0.70, 0.0, 1.0, 0.0),
  JEWELRY("jewelry", 5944, 0.04, 320.0, 0.90, 0.90, 0.90, 0.10, 0.0),
  CASH("cash", 6011, 0.11, 100.0, 0.60, 0.50, 0.0, 0.0, 1.0);

  private final String code;
  private final int mcc;
  private final double merchantShare;
  private final double medianAmount;
  private final double amountSigma;
  private final double risk;
  private final double posShare;
  private final double onlineShare;
  private final double atmShare;

  MerchantCategory(
      String code,
      int mcc,
      double merchantShare,
      double medianAmount,
      double amountSigma,
      double risk,
      double posShare,
      double onlineShare,
      double atmShare) {
    this.code = code;
    this.mcc = mcc;
    this.merchantShare = merchantShare;
    this.medianAmount = medianAmount;
    this.amountSigma = amountSigma;
    this.risk = risk;
    this.posShare = posShare;
    this.onlineShare = onlineShare;
    this.atmShare = atmShare;
  }

  /** The value written to the event's {@code merchant_category} field, e.g. {@code grocery}. */
  public String code() {
    return code;
  }

  /** The ISO 18245 merchant category code this category stands for (documentation only). */
  public int mcc() {
    return mcc;
  }

  /** Share of merchants in this category. */
  public double merchantShare() {
    return merchantShare;
  }

  /** Median amount of a legitimate payment for an average card, in the payment's currency. */
  public double medianAmount() {
    return medianAmount;
  }

  /** Standard deviation of the log-normal amount around the median. */
  public double amountSigma() {
    return amountSigma;
  }

  /** Inherent fraud risk in [0, 1]: how attractive the category is to fraudsters. */
  public double risk() {
    return risk;
  }

  /** Probability that a terminal of this category uses the given channel. */
  public double channelShare(Channel channel) {
    return switch (channel) {
      case POS -> posShare;
      case ONLINE -> onlineShare;
      case ATM -> atmShare;
    };
  }

  /** The category with the given {@link #code()}. */
  public static MerchantCategory fromCode(String code) {
    for (MerchantCategory category : values()) {
      if (category.code.equals(code)) {
        return category;
      }
    }
    throw new IllegalArgumentException("unknown merchant category: " + code);
  }
}
