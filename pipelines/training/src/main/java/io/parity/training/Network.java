package io.parity.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The model function, built the same way for training (weights as variables) and serving (the
 * chosen weights as constants): raw features, missing or non-finite values replaced by the mean,
 * {@code (x - mean) / stddev}, then dense layers (ReLU between, none for logistic regression) down
 * to one logit.
 */
final class Network {
  private Network() {}

  /** The weights of every dense layer: {@code weights.get(l)} is {@code [in][out]}. */
  record Weights(List<float[][]> weights, List<float[]> biases) {
    Weights copy() {
      List<float[][]> w = new ArrayList<>();
      for (float[][] m : weights) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
          c[i] = m[i].clone();
        }
        w.add(c);
      }
      List<float[]> b = new ArrayList<>();
      for (float[] v : biases) {
        b.add(v.clone());
      }
      return new Weights(w, b);
    }
  }

  /** Layer widths from input to the single output. */
  static List<Integer> widths(int inputs, List<Integer> hidden) {
    List<Integer> widths = new ArrayList<>();
    widths.add(inputs);
    widths.addAll(hidden);
    widths.add(1);
    return widths;
  }

  /**
   * Seeded initial weights: He-uniform ({@code +-sqrt(6 / fan_in)}) for layers followed by ReLU,
   * Glorot-uniform ({@code +-sqrt(6 / (fan_in + fan_out))}) for the output layer, zero biases.
   */
  static Weights initial(int inputs, List<Integer> hidden, long seed) {
    Random random = new Random(seed);
    List<Integer> widths = widths(inputs, hidden);
    List<float[][]> weights = new ArrayList<>();
    List<float[]> biases = new ArrayList<>();
    for (int l = 0; l + 1 < widths.size(); l++) {
      int in = widths.get(l);
      int out = widths.get(l + 1);
      boolean last = l + 2 == widths.size();
      double limit = last ? Math.sqrt(6.0 / (in + out)) : Math.sqrt(6.0 / in);
      float[][] w = new float[in][out];
      for (float[] row : w) {
        for (int j = 0; j < out; j++) {
          row[j] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
      }
      weights.add(w);
      biases.add(new float[out]);
    }
    return new Weights(weights, biases);
  }

  /**
   * The logits {@code [batch, 1]} of raw input {@code [batch, features]}.
   *
   * @param weights one {@code [in, out]} operand per layer
   * @param biases one {@code [out]} operand per layer
   */
  static Operand<TFloat32> logits(
      Ops tf,
      Operand<TFloat32> raw,
      Normalization normalization,
      List<? extends Operand<TFloat32>> weights,
      List<? extends Operand<TFloat32>> biases) {
    Ops scope = tf.withSubScope("normalize");
    Operand<TFloat32> mean = scope.withName("mean").constant(normalization.meanFloats());
    Operand<TFloat32> stddev = scope.withName("stddev").constant(normalization.stddevFloats());
    // A missing (NaN) or infinite value is imputed with the mean: 0 after normalization.
    Operand<TFloat32> clean =
        scope.select(scope.math.isFinite(raw), raw, scope.broadcastTo(mean, scope.shape(raw)));
    Operand<TFloat32> h =
        scope.withName("normalized").math.div(scope.math.sub(clean, mean), stddev);
    for (int l = 0; l < weights.size(); l++) {
      Ops layer = tf.withSubScope("dense" + l);
      h = layer.math.add(layer.linalg.matMul(h, weights.get(l)), biases.get(l));
      if (l + 1 < weights.size()) {
        h = layer.nn.relu(h);
      }
    }
    return h;
  }

  /** The fraud probability {@code [batch]} of the logits, named {@code name}. */
  static Operand<TFloat32> probability(Ops tf, Operand<TFloat32> logits, String name) {
    return tf.withName(name).reshape(tf.math.sigmoid(logits), tf.constant(new int[] {-1}));
  }
}
