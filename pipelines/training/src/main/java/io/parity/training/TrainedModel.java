package io.parity.training;

import io.parity.scoring.ModelMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The outcome of training, held in memory: the best epoch's weights frozen as constants into a
 * serving graph (raw features in, normalization inside, probability out), the epoch history and the
 * validation rows. {@link #score} runs that graph; {@link #exportSavedModel} writes it as a
 * SavedModel with the {@code serving_default} signature.
 */
final class TrainedModel implements AutoCloseable {
  private final List<String> features;
  private final Normalization normalization;
  private final TrainOptions options;
  private final Network.Weights weights;
  private final List<EpochReport> history;
  private final int bestEpoch;
  private final int epochsTrained;
  private final double positiveWeight;
  private final long trainRows;
  private final long trainPositives;
  private final double[][] validRows;
  private final boolean[] validLabels;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> output;
  private final Signature signature;

  TrainedModel(
      List<String> features,
      Normalization normalization,
      TrainOptions options,
      Network.Weights weights,
      List<EpochReport> history,
      int bestEpoch,
      int epochsTrained,
      double positiveWeight,
      long trainRows,
      long trainPositives,
      double[][] validRows,
      boolean[] validLabels) {
    this.features = List.copyOf(features);
    this.normalization = normalization;
    this.options = options;
    this.weights = weights.copy();
    this.history = List.copyOf(history);
    this.bestEpoch = bestEpoch;
    this.epochsTrained = epochsTrained;
    this.positiveWeight = positiveWeight;
    this.trainRows = trainRows;
    this.trainPositives = trainPositives;
    this.validRows = validRows;
    this.validLabels = validLabels;

    ModelMetadata.ServingSignature sig = ModelMetadata.ServingSignature.DEFAULT;
    Graph g = new Graph();
    try {
      Ops tf = Ops.create(g);
      input =
          tf.withName(sig.input())
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, features.size())));
      List<Operand<TFloat32>> w = new ArrayList<>();
      List<Operand<TFloat32>> b = new ArrayList<>();
      for (int l = 0; l < weights.weights().size(); l++) {
        w.add(tf.withName("w" + l).constant(weights.weights().get(l)));
        b.add(tf.withName("b" + l).constant(weights.biases().get(l)));
      }
      Operand<TFloat32> logits = Network.logits(tf, input, normalization, w, b);
      output = Network.probability(tf, logits, sig.output());
      signature =
          Signature.builder()
              .key(sig.key())
              .input(sig.input(), input)
              .output(sig.output(), output)
              .build();
      // The default session configuration, as SavedModelBundle.load uses when serving.
      session = new Session(g);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    graph = g;
  }

  /** Scores raw rows (features in {@link #features()} order, NaN = missing) in one run. */
  public float[] score(double[][] rows) {
    int n = features.size();
    float[] flat = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != n) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " values; the model takes " + n);
      }
      for (int j = 0; j < n; j++) {
        flat[i * n + j] = (float) rows[i][j];
      }
    }
    if (rows.length == 0) {
      return new float[0];
    }
    int rowsCount = rows.length;
    float[] out = new float[rowsCount];
    try (TFloat32 in =
            TFloat32.tensorOf(Shape.of(rowsCount, n), DataBuffers.of(flat, true, false));
        Result r = session.runner().feed(input, in).fetch(output).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /** Writes the serving graph as a SavedModel (tag {@code serve}) into {@code dir}. */
  public void exportSavedModel(Path dir) throws IOException {
    SavedModelBundle.exporter(dir.toString())
        .withSession(session)
        .withSignature(signature)
        .export();
  }

  public List<String> features() {
    return features;
  }

  public Normalization normalization() {
    return normalization;
  }

  public TrainOptions options() {
    return options;
  }

  /** One report per epoch run. */
  public List<EpochReport> history() {
    return history;
  }

  /** The 1-based epoch whose weights this model holds. */
  public int bestEpoch() {
    return bestEpoch;
  }

  public int epochsTrained() {
    return epochsTrained;
  }

  /** The loss weight of a fraud row: train negatives / train positives. */
  public double positiveWeight() {
    return positiveWeight;
  }

  public long trainRows() {
    return trainRows;
  }

  public long trainPositives() {
    return trainPositives;
  }

  /** The validation rows (raw values), in the training set's order. */
  public double[][] validRows() {
    return validRows;
  }

  public boolean[] validLabels() {
    return validLabels;
  }

  Network.Weights weights() {
    return weights.copy();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
