package io.parity.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
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
 * Writes small logistic SavedModels with fixed weights and their metadata (the trainer lives in
 * pipelines/training; these tests only need a valid model of a known function).
 */
public final class TestModels {
  private TestModels() {}

  /** A logistic model {@code sigmoid(sum_j w_j * (x_j - mean_j) / std_j + bias)}. */
  public record Spec(
      String name,
      String fingerprint,
      List<String> features,
      float[] weights,
      float bias,
      float[] mean,
      float[] std) {

    Spec withFingerprint(String f) {
      return new Spec(name, f, features, weights, bias, mean, std);
    }

    Spec withBias(float b) {
      return new Spec(name, fingerprint, features, weights, b, mean, std);
    }

    Spec withFeatures(List<String> f) {
      return new Spec(name, fingerprint, f, weights, bias, mean, std);
    }

    /** The score the model gives a raw row, computed in double (for tolerance checks). */
    double expected(double[] raw) {
      double z = bias;
      for (int j = 0; j < raw.length; j++) {
        double x = Double.isFinite(raw[j]) ? raw[j] : mean[j];
        z += weights[j] * (x - mean[j]) / std[j];
      }
      return 1 / (1 + Math.exp(-z));
    }
  }

  public static Spec spec(String fingerprint, List<String> features) {
    int n = features.size();
    float[] w = new float[n];
    float[] mean = new float[n];
    float[] std = new float[n];
    for (int j = 0; j < n; j++) {
      w[j] = (j % 2 == 0 ? 1f : -0.5f) * (1 + j);
      mean[j] = 10f * j;
      std[j] = 2f + j;
    }
    return new Spec("fraud", fingerprint, features, w, 0.25f, mean, std);
  }

  static double[][] smokeRows(int n) {
    double[][] rows = new double[4][n];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < n; j++) {
        rows[i][j] = 10.0 * j + (i - 1.5) * (j + 1);
      }
    }
    rows[3][0] = Double.NaN;
    return rows;
  }

  /** Exports the model into {@code dir} and writes its metadata there. */
  static ModelMetadata write(Path dir, Spec spec, int version) {
    int n = spec.features().size();
    double[][] smoke = smokeRows(n);
    float[] scores;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x =
          tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, n)));
      Operand<TFloat32> mean = tf.constant(spec.mean());
      Operand<TFloat32> clean =
          tf.select(tf.math.isFinite(x), x, tf.broadcastTo(mean, tf.shape(x)));
      Operand<TFloat32> z = tf.math.div(tf.math.sub(clean, mean), tf.constant(spec.std()));
      float[][] w = new float[n][1];
      for (int j = 0; j < n; j++) {
        w[j][0] = spec.weights()[j];
      }
      Operand<TFloat32> logits =
          tf.math.add(tf.linalg.matMul(z, tf.constant(w)), tf.constant(new float[] {spec.bias()}));
      Operand<TFloat32> score =
          tf.withName("score").reshape(tf.math.sigmoid(logits), tf.constant(new int[] {-1}));
      try (Session session = new Session(g)) {
        scores = run(session, x, score, smoke);
        Signature signature =
            Signature.builder()
                .key("serving_default")
                .input("features", x)
                .output("score", score)
                .build();
        SavedModelBundle.exporter(dir.toString())
            .withSession(session)
            .withSignature(signature)
            .export();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<Double>> rows = new ArrayList<>();
    List<Float> recorded = new ArrayList<>();
    for (int i = 0; i < smoke.length; i++) {
      List<Double> row = new ArrayList<>();
      for (double v : smoke[i]) {
        row.add(Double.isNaN(v) ? null : v);
      }
      rows.add(row);
      recorded.add(scores[i]);
    }
    List<Double> means = new ArrayList<>();
    List<Double> stds = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      means.add((double) spec.mean()[j]);
      stds.add((double) spec.std()[j]);
    }
    ModelMetadata metadata =
        new ModelMetadata(
            ModelMetadata.FORMAT_VERSION,
            spec.name(),
            version,
            "logistic",
            Instant.parse("2026-02-01T00:00:00Z"),
            spec.fingerprint(),
            "fraud-v1",
            spec.features(),
            ModelMetadata.ServingSignature.DEFAULT,
            new ModelMetadata.Validation(0.9, 0.5, 0.4, 100, 10, 3, 2),
            new ModelMetadata.Training(
                List.of(), 0.01, 32, 3, 1, 7, 9.0, "averagePrecision", 90, 9),
            new ModelMetadata.Normalization(means, stds),
            new ModelMetadata.Smoke(rows, recorded));
    metadata.write(dir);
    return metadata;
  }

  /** Stages the model and publishes it as {@code version} of the store. */
  public static Path publish(ModelStore store, Spec spec, int version) {
    Path staged = store.newStagingDir();
    try {
      write(staged, spec, version);
      return store.publish(staged, version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ModelStore.deleteRecursively(staged);
    }
  }

  private static float[] run(
      Session session, Operand<TFloat32> x, Operand<TFloat32> score, double[][] rows) {
    int n = rows[0].length;
    float[] flat = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < n; j++) {
        flat[i * n + j] = (float) rows[i][j];
      }
    }
    try (TFloat32 in =
            TFloat32.tensorOf(Shape.of(rows.length, n), DataBuffers.of(flat, true, false));
        Result r = session.runner().feed(x, in).fetch(score).run()) {
      float[] out = new float[rows.length];
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}
