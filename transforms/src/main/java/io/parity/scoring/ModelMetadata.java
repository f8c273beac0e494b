package io.parity.scoring;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parity.json.InstantText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a model version is and how it was made, stored as {@code parity-model.json} beside the
 * SavedModel in the version directory: identity (name, version, type), lineage (spec fingerprint,
 * training-set tag), the input contract (feature order, signature), the normalization constants
 * baked into the graph, validation metrics, training settings, and a smoke block of input rows with
 * the scores the exported model gave them (replayed by {@link Scorer#load} before serving).
 *
 * @param formatVersion the layout of this file, {@link #FORMAT_VERSION}
 * @param name the model's name (its directory under {@code models/})
 * @param version the version (its subdirectory)
 * @param modelType {@code logistic} or {@code mlp}
 * @param createdAt when the trainer exported it
 * @param specFingerprint the feature spec of the training set's rows
 * @param trainingSet the training-set version it was trained on, e.g. {@code fraud-v2}
 * @param features the model's input columns, in input order
 * @param signature the SavedModel signature serving calls
 * @param validation metrics on the training set's {@code valid} split, scored by this model
 * @param training how it was trained
 * @param normalization the constants of {@code (x - mean) / stddev} inside the graph
 * @param smoke input rows and the scores the exported model gave them
 */
@JsonPropertyOrder({
  "formatVersion",
  "name",
  "version",
  "modelType",
  "createdAt",
  "specFingerprint",
  "trainingSet",
  "features",
  "signature",
  "validation",
  "training",
  "normalization",
  "smoke"
})
public record ModelMetadata(
    int formatVersion,
    String name,
    int version,
    String modelType,
    Instant createdAt,
    String specFingerprint,
    String trainingSet,
    List<String> features,
    ServingSignature signature,
    Validation validation,
    Training training,
    Normalization normalization,
    Smoke smoke) {

  /** The file name in a version directory; its presence marks the version complete. */
  public static final String FILE_NAME = "parity-model.json";

  /** The layout written by this code. */
  public static final int FORMAT_VERSION = 1;

  /** The model types Parity trains. */
  public static final Set<String> MODEL_TYPES = Set.of("logistic", "mlp");

  /** Tolerance of the smoke inference: replayed scores must match the recorded ones this well. */
  public static final double SMOKE_TOLERANCE = 1e-6;

  private static final ObjectMapper JSON = mapper();

  /**
   * The SavedModel signature: {@code key} (e.g. {@code serving_default}) with one float32 input of
   * shape {@code [-1, features]} and one float32 output of shape {@code [-1]}.
   */
  @JsonPropertyOrder({"key", "input", "output"})
  public record ServingSignature(String key, String input, String output) {
    /**
     * Parity's signature: {@code serving_default}, input {@code features}, output {@code score}.
     */
    public static final ServingSignature DEFAULT =
        new ServingSignature("serving_default", "features", "score");
  }

  /**
   * Metrics on the training set's time-based validation split, plus the early-stopping outcome.
   *
   * @param precisionAt100 precision of the 100 highest scores (fewer rows: of all rows)
   * @param rows validation rows
   * @param positives validation rows labelled fraud
   * @param epochsTrained epochs run before stopping
   * @param bestEpoch the epoch (1-based) whose weights were kept
   */
  @JsonPropertyOrder({
    "rocAuc",
    "averagePrecision",
    "precisionAt100",
    "rows",
    "positives",
    "epochsTrained",
    "bestEpoch"
  })
  public record Validation(
      double rocAuc,
      double averagePrecision,
      double precisionAt100,
      long rows,
      long positives,
      int epochsTrained,
      int bestEpoch) {}

  /**
   * Training settings, enough to reproduce the run from the same training-set version.
   *
   * @param hidden hidden layer widths (empty for logistic regression)
   * @param positiveWeight the weight of a fraud row in the loss (train negatives / positives)
   * @param earlyStopping the validation metric that chose the best epoch
   * @param rows train rows
   * @param positives train rows labelled fraud
   */
  @JsonPropertyOrder({
    "hidden",
    "learningRate",
    "batchSize",
    "maxEpochs",
    "patience",
    "seed",
    "positiveWeight",
    "earlyStopping",
    "rows",
    "positives"
  })
  public record Training(
      List<Integer> hidden,
      double learningRate,
      int batchSize,
      int maxEpochs,
      int patience,
      long seed,
      double positiveWeight,
      String earlyStopping,
      long rows,
      long positives) {}

  /**
   * The normalization constants of the graph, per feature in {@link #features()} order; missing or
   * non-finite inputs are replaced by the mean (0 after normalization) inside the graph.
   */
  @JsonPropertyOrder({"mean", "stddev"})
  public record Normalization(List<Double> mean, List<Double> stddev) {}

  /**
   * Input rows (raw values in {@link #features()} order, null for a missing value) and the scores
   * the exported model gave them, scored together as one batch.
   */
  @JsonPropertyOrder({"rows", "scores"})
  public record Smoke(List<List<Double>> rows, List<Float> scores) {

    /** The rows as model input: null becomes NaN (missing). */
    public double[][] inputs() {
      double[][] inputs = new double[rows.size()][];
      for (int i = 0; i < inputs.length; i++) {
        List<Double> row = rows.get(i);
        inputs[i] = new double[row.size()];
        for (int j = 0; j < inputs[i].length; j++) {
          Double v = row.get(j);
          inputs[i][j] = v == null ? Double.NaN : v;
        }
      }
      return inputs;
    }
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(InstantText.module())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  /**
   * Checks that the metadata is complete and self-consistent (feature list, normalization and smoke
   * widths, signature, type).
   *
   * @throws IllegalArgumentException naming the first problem
   */
  public void check() {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "formatVersion " + formatVersion + " is not " + FORMAT_VERSION + " (unknown layout)");
    }
    require(name != null && !name.isBlank(), "name is missing");
    require(version > 0, "version " + version + " is not a positive integer");
    require(
        modelType != null && MODEL_TYPES.contains(modelType),
        "modelType '" + modelType + "' is not one of " + MODEL_TYPES);
    require(specFingerprint != null && !specFingerprint.isBlank(), "specFingerprint is missing");
    require(features != null && !features.isEmpty(), "features are missing");
    Set<String> distinct = new HashSet<>();
    for (String f : features) {
      require(f != null && distinct.add(f), "feature '" + f + "' is null or listed twice");
    }
    require(
        signature != null
            && signature.key() != null
            && signature.input() != null
            && signature.output() != null,
        "signature (key, input, output) is missing");
    require(
        normalization != null
            && normalization.mean() != null
            && normalization.stddev() != null
            && normalization.mean().size() == features.size()
            && normalization.stddev().size() == features.size(),
        "normalization must hold one mean and one stddev per feature (" + features.size() + ")");
    require(
        smoke != null
            && smoke.rows() != null
            && smoke.scores() != null
            && !smoke.rows().isEmpty()
            && smoke.rows().size() == smoke.scores().size(),
        "smoke must hold at least one row and one score per row");
    for (int i = 0; i < smoke.rows().size(); i++) {
      List<Double> row = smoke.rows().get(i);
      require(
          row != null && row.size() == features.size(),
          "smoke row "
              + i
              + " has "
              + (row == null ? 0 : row.size())
              + " values, not one per feature ("
              + features.size()
              + ")");
      Float s = smoke.scores().get(i);
      require(
          s != null && s >= 0f && s <= 1f, "smoke score " + i + " (" + s + ") is not in [0, 1]");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Reads and checks {@code versionDir/parity-model.json}.
   *
   * @throws InvalidModelException when the file is missing, unreadable, not valid JSON or
   *     incomplete; the message names the file
   */
  public static ModelMetadata read(Path versionDir) {
    Path file = versionDir.resolve(FILE_NAME);
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidModelException(
          "model version "
              + versionDir
              + " has no "
              + FILE_NAME
              + ": not a complete Parity model version (trainers write it last)",
          e);
    } catch (IOException e) {
      throw new InvalidModelException("cannot read " + file + ": " + e.getMessage(), e);
    }
    ModelMetadata metadata;
    try {
      metadata = JSON.readValue(json, ModelMetadata.class);
    } catch (JsonProcessingException e) {
      throw new InvalidModelException(
          file + " is not valid model metadata: " + e.getOriginalMessage(), e);
    }
    if (metadata == null) {
      throw new InvalidModelException(file + " is empty");
    }
    try {
      metadata.check();
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(file + ": " + e.getMessage(), e);
    }
    return metadata;
  }

  /**
   * Checks the metadata and writes it as {@code versionDir/parity-model.json} (pretty JSON, {@code
   * \n} line ends) through a temporary file and a rename, so a reader never sees half a file.
   *
   * @return the file written
   * @throws IllegalArgumentException when the metadata is incomplete
   */
  public Path write(Path versionDir) {
    check();
    Path file = versionDir.resolve(FILE_NAME);
    Path temp = versionDir.resolve("." + FILE_NAME + ".tmp");
    try {
      Files.writeString(temp, toJson(), StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The metadata as pretty JSON with two-space indents and {@code \n} line ends. */
  public String toJson() {
    try {
      DefaultPrettyPrinter printer =
          new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
      return JSON.writer(printer).writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the metadata of model " + name, e);
    }
  }

  /** Parses metadata JSON (unchecked: call {@link #check()}). */
  public static ModelMetadata fromJson(String json) {
    try {
      return JSON.readValue(json, ModelMetadata.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid model metadata: " + e.getOriginalMessage(), e);
    }
  }

  /** A copy with another version number (a trainer that lost a race for its version). */
  public ModelMetadata withVersion(int newVersion) {
    return new ModelMetadata(
        formatVersion,
        name,
        newVersion,
        modelType,
        createdAt,
        specFingerprint,
        trainingSet,
        features,
        signature,
        validation,
        training,
        normalization,
        smoke);
  }
}
