package io.parity.training;

import java.util.Objects;

/**
 * One training example: raw feature values in the training set's feature order (NaN = missing), the
 * fraud label and the split it belongs to ({@code train}, {@code valid}, or another split the
 * trainer ignores).
 */
public record LabeledRow(double[] features, boolean label, String split) {
  public LabeledRow {
    Objects.requireNonNull(features, "features");
  }
}
