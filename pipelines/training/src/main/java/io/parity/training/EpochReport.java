package io.parity.training;

import java.util.Locale;

/**
 * One training epoch as reported: the mean weighted train loss, and the validation log loss
 * (unweighted), ROC-AUC and average precision of the weights after the epoch.
 *
 * @param epoch 1-based
 * @param best whether these weights are the best so far (by validation average precision)
 */
public record EpochReport(
    int epoch,
    double trainLoss,
    double validLoss,
    double validRocAuc,
    double validAveragePrecision,
    boolean best) {

  /** The progress line printed for the epoch. */
  public String line(int maxEpochs) {
    return String.format(
        Locale.ROOT,
        "epoch %3d/%d  train loss %.5f  valid loss %.5f  AUC %.4f  AP %.4f%s",
        epoch,
        maxEpochs,
        trainLoss,
        validLoss,
        validRocAuc,
        validAveragePrecision,
        best ? "  *best" : "");
  }
}
