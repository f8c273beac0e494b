package io.parity.training;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to train: model type, hidden layers (MLP only), epochs, early-stopping patience, Adam
 * learning rate, mini-batch size, the seed of initialisation and shuffling, and where progress
 * lines go. Immutable; start from {@link #defaults()} and change with the {@code withX} methods
 * (order-independent, each validates its argument).
 *
 * @param maxEpochs the most epochs to run
 * @param patience stop after this many epochs without a better validation average precision
 */
public record TrainOptions(
    ModelType model,
    List<Integer> hidden,
    int maxEpochs,
    int patience,
    double learningRate,
    int batchSize,
    long seed,
    Consumer<String> progress) {

  public TrainOptions {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(progress, "progress");
    hidden = List.copyOf(hidden);
    if (hidden.isEmpty() || hidden.size() > 4) {
      throw new IllegalArgumentException(
          "hidden layers must be 1 to 4 widths, e.g. 32,16; got " + hidden);
    }
    for (int h : hidden) {
      if (h < 1 || h > 4096) {
        throw new IllegalArgumentException("a hidden layer width must be in [1, 4096]: " + h);
      }
    }
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1: " + maxEpochs);
    }
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1: " + patience);
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be positive: " + learningRate);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1: " + batchSize);
    }
  }

  /** MLP 32-16, at most 50 epochs, patience 5, learning rate 0.001, batch 256, seed 42, quiet. */
  public static TrainOptions defaults() {
    return new TrainOptions(ModelType.MLP, List.of(32, 16), 50, 5, 0.001, 256, 42L, line -> {});
  }

  /** The hidden layers actually built: none for logistic regression. */
  public List<Integer> layers() {
    return model == ModelType.LOGISTIC ? List.of() : hidden;
  }

  public TrainOptions withModel(ModelType m) {
    return new TrainOptions(
        m, hidden, maxEpochs, patience, learningRate, batchSize, seed, progress);
  }

  /** Hidden layer widths of the MLP (ignored by logistic regression). */
  public TrainOptions withHidden(List<Integer> h) {
    return new TrainOptions(model, h, maxEpochs, patience, learningRate, batchSize, seed, progress);
  }

  public TrainOptions withMaxEpochs(int n) {
    return new TrainOptions(model, hidden, n, patience, learningRate, batchSize, seed, progress);
  }

  public TrainOptions withPatience(int n) {
    return new TrainOptions(model, hidden, maxEpochs, n, learningRate, batchSize, seed, progress);
  }

  public TrainOptions withLearningRate(double lr) {
    return new TrainOptions(model, hidden, maxEpochs, patience, lr, batchSize, seed, progress);
  }

  public TrainOptions withBatchSize(int n) {
    return new TrainOptions(model, hidden, maxEpochs, patience, learningRate, n, seed, progress);
  }

  public TrainOptions withSeed(long s) {
    return new TrainOptions(
        model, hidden, maxEpochs, patience, learningRate, batchSize, s, progress);
  }

  /** Where per-epoch progress lines go (e.g. {@code System.out::println}). */
  public TrainOptions withProgress(Consumer<String> p) {
    return new TrainOptions(model, hidden, maxEpochs, patience, learningRate, batchSize, seed, p);
  }
}
