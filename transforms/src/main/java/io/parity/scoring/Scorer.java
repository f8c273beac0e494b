package io.parity.scoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * One loaded model version: its metadata and SavedModel, verified by a smoke inference before it is
 * handed out. {@link #score} is thread-safe (a TensorFlow {@code Session} is) and runs one {@code
 * Session.run} per call, so callers score micro-batches. Closing it while another thread scores is
 * the caller's bug; {@link ServingModel} reference-counts its scorers for that.
 */
public final class Scorer implements AutoCloseable {
  private final Path dir;
  private final ModelMetadata metadata;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final int width;
  private volatile boolean closed;

  private Scorer(Path dir, ModelMetadata metadata, SavedModelBundle bundle) {
    this.dir = dir;
    this.metadata = metadata;
    this.bundle = bundle;
    this.width = metadata.features().size();
    ModelMetadata.ServingSignature sig = metadata.signature();
    SessionFunction fn;
    try {
      fn = bundle.function(sig.key());
    } catch (IllegalArgumentException e) {
      throw invalid(
          "the SavedModel has no signature '"
              + sig.key()
              + "' named in "
              + ModelMetadata.FILE_NAME
              + " (it has "
              + bundle.signatures().stream().map(Signature::key).toList()
              + ")",
          e);
    }
    this.function = fn;
    Signature signature = fn.signature();
    Signature.TensorDescription in = signature.getInputs().get(sig.input());
    if (in == null || signature.getInputs().size() != 1) {
      throw invalid(
          "signature '"
              + sig.key()
              + "' must take exactly the input '"
              + sig.input()
              + "', it takes "
              + signature.inputNames());
    }
    if (in.dataType != DataType.DT_FLOAT
        || in.shape.numDimensions() != 2
        || in.shape.get(1) != width) {
      throw invalid(
          "wrong input: the graph's '"
              + sig.input()
              + "' is "
              + in.dataType
              + " "
              + in.shape
              + " but "
              + ModelMetadata.FILE_NAME
              + " lists "
              + width
              + " features (expected DT_FLOAT [-1, "
              + width
              + "])");
    }
    Signature.TensorDescription out = signature.getOutputs().get(sig.output());
    if (out == null || out.dataType != DataType.DT_FLOAT) {
      throw invalid(
          "signature '"
              + sig.key()
              + "' has no float output '"
              + sig.output()
              + "' (outputs: "
              + signature.outputNames()
              + ")");
    }
  }

  /**
   * Loads the model version in {@code versionDir}: reads {@code parity-model.json}, loads the
   * SavedModel (tag {@code serve}), checks the signature against the metadata, and replays the
   * smoke rows, which must score finite values in [0, 1] equal to the recorded ones within {@link
   * ModelMetadata#SMOKE_TOLERANCE}.
   *
   * @throws InvalidModelException naming the directory and what is wrong
   */
  public static Scorer load(Path versionDir) {
    Path dir = versionDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new InvalidModelException("model version directory " + dir + " does not exist");
    }
    ModelMetadata metadata = ModelMetadata.read(dir);
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new InvalidModelException(
          "model version " + dir + " has no saved_model.pb (not a TensorFlow SavedModel)");
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (RuntimeException e) {
      throw new InvalidModelException(
          "cannot load the SavedModel in " + dir + ": " + oneLine(e.getMessage()), e);
    }
    Scorer scorer = null;
    try {
      scorer = new Scorer(dir, metadata, bundle);
      scorer.smoke();
      return scorer;
    } catch (RuntimeException e) {
      if (scorer != null) {
        scorer.close();
      } else {
        bundle.close();
      }
      if (e instanceof InvalidModelException) {
        throw e;
      }
      throw new InvalidModelException(
          "model version " + dir + " failed its smoke inference: " + oneLine(e.getMessage()), e);
    }
  }

  private void smoke() {
    ModelMetadata.Smoke smoke = metadata.smoke();
    float[] scores = score(smoke.inputs());
    List<Float> expected = smoke.scores();
    for (int i = 0; i < scores.length; i++) {
      float s = scores[i];
      if (!Float.isFinite(s) || s < 0f || s > 1f) {
        throw invalid("smoke row " + i + " scored " + s + ", not a probability in [0, 1]");
      }
      if (Math.abs(s - expected.get(i)) > ModelMetadata.SMOKE_TOLERANCE) {
        throw invalid(
            "smoke mismatch: row "
                + i
                + " scored "
                + s
                + " but the trainer recorded "
                + expected.get(i)
                + " (tolerance "
                + ModelMetadata.SMOKE_TOLERANCE
                + "): the SavedModel and "
                + ModelMetadata.FILE_NAME
                + " do not belong together");
      }
    }
  }

  private InvalidModelException invalid(String what) {
    return new InvalidModelException("model version " + dir + ": " + what);
  }

  private InvalidModelException invalid(String what, Throwable cause) {
    return new InvalidModelException("model version " + dir + ": " + what, cause);
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() > 500 ? flat.substring(0, 500) + "..." : flat;
  }

  /** The version's metadata. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /** The version directory it was loaded from. */
  public Path directory() {
    return dir;
  }

  /** How many values each input row holds ({@code metadata().features().size()}). */
  public int width() {
    return width;
  }

  /**
   * Scores rows of raw feature values in {@code metadata().features()} order (NaN = missing; the
   * graph normalizes and imputes) with one {@code Session.run}.
   *
   * @return one fraud probability per row
   * @throws IllegalArgumentException for a row of the wrong width
   */
  public float[] score(double[][] rows) {
    if (closed) {
      throw new IllegalStateException("scorer of " + dir + " is closed");
    }
    int n = rows.length;
    if (n == 0) {
      return new float[0];
    }
    float[] flat = new float[n * width];
    for (int i = 0; i < n; i++) {
      double[] row = rows[i];
      if (row == null || row.length != width) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + (row == null ? 0 : row.length)
                + " values; model "
                + metadata.name()
                + " version "
                + metadata.version()
                + " takes "
                + width
                + " "
                + metadata.features());
      }
      for (int j = 0; j < width; j++) {
        flat[i * width + j] = (float) row[j];
      }
    }
    String output = metadata.signature().output();
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(n, width), DataBuffers.of(flat, true, false));
        Result result = function.call(Map.of(metadata.signature().input(), input))) {
      Optional<Tensor> t = result.get(output);
      if (t.isEmpty() || !(t.get() instanceof TFloat32 scores)) {
        throw new IllegalStateException("model output '" + output + "' is missing or not float");
      }
      if (scores.shape().size() != n) {
        throw new IllegalStateException(
            "model output '" + output + "' has shape " + scores.shape() + " for " + n + " rows");
      }
      float[] out = new float[n];
      scores.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** Releases the session and graph; idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      bundle.close();
    }
  }

  @Override
  public String toString() {
    return "Scorer[" + metadata.name() + " v" + metadata.version() + " at " + dir + "]";
  }
}
