package io.parity.training;

import java.util.Locale;

/** The model families Parity trains. */
public enum ModelType {
  /** Logistic regression on the normalized features. */
  LOGISTIC,
  /** A multilayer perceptron with ReLU hidden layers and a sigmoid output. */
  MLP;

  /** The lower-case name used on the command line and in {@code parity-model.json}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code logistic} or {@code mlp} (any case). */
  public static ModelType parse(String text) {
    String s = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    for (ModelType t : values()) {
      if (t.name().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown model type '" + text + "': use logistic or mlp");
  }
}
