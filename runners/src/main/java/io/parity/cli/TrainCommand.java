package io.parity.cli;

import io.parity.lakehouse.CatalogConfig;
import io.parity.scoring.ModelMetadata;
import io.parity.training.ModelType;
import io.parity.training.TrainModel;
import io.parity.training.TrainOptions;
import io.parity.training.TrainResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity train}: trains a model on a training-set version and publishes a new version. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a TensorFlow model (logistic regression or an MLP) on training-set version NAME-vN:"
          + " fits its train split, early-stops on its valid split (best validation average"
          + " precision), and publishes the next version OUT/<N>/ (SavedModel + parity-model.json)"
          + " atomically.",
      "The set needs a train and a valid split: parity training-set create ... --split"
          + " train:FROM..TO,valid:FROM..TO."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--training-set",
      required = true,
      paramLabel = "NAME-vN",
      description = "the training-set version, e.g. fraud-v2")
  String trainingSet;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "the model directory, e.g. models/fraud (versions are its subdirectories)")
  Path out;

  @Option(
      names = "--model",
      defaultValue = "mlp",
      description = "logistic or mlp (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--epochs",
      defaultValue = "50",
      description = "the most epochs to run (default: ${DEFAULT-VALUE})")
  String epochs;

  @Option(
      names = "--patience",
      defaultValue = "5",
      description =
          "stop after this many epochs without a better validation AP (default: ${DEFAULT-VALUE})")
  String patience;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.001",
      description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
  String learningRate;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      description = "mini-batch size (default: ${DEFAULT-VALUE})")
  String batchSize;

  @Option(
      names = "--hidden",
      defaultValue = "32,16",
      description = "hidden layer widths of the MLP (default: ${DEFAULT-VALUE})")
  String hidden;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "seed of initialisation and shuffling (default: ${DEFAULT-VALUE})")
  String seed;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Override
  public Integer call() {
    PrintWriter printer = spec.commandLine().getOut();
    TrainOptions options =
        TrainOptions.defaults()
            .withModel(ModelType.parse(model))
            .withMaxEpochs(positiveInt("--epochs", epochs))
            .withPatience(positiveInt("--patience", patience))
            .withLearningRate(positiveDouble("--learning-rate", learningRate))
            .withBatchSize(positiveInt("--batch-size", batchSize))
            .withHidden(widths(hidden))
            .withSeed(longValue("--seed", seed))
            .withProgress(
                line -> {
                  printer.println(line);
                  printer.flush();
                });
    Catalog catalog = lakehouse.config().open();
    TrainResult result;
    try {
      result = TrainModel.run(catalog, trainingSet, out, options);
    } finally {
      CatalogConfig.close(catalog);
    }
    ModelMetadata.Validation v = result.metadata().validation();
    printer.printf("model version: %s%n", result.versionDir());
    printer.printf(
        "validation (%s, %,d rows, %,d fraud): ROC-AUC %.4f  AP %.4f  precision@100 %.4f%n",
        result.metadata().trainingSet(),
        v.rows(),
        v.positives(),
        v.rocAuc(),
        v.averagePrecision(),
        v.precisionAt100());
    printer.flush();
    return 0;
  }

  private static int positiveInt(String option, String text) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the one-line error
    }
    throw new IllegalArgumentException(option + " must be a positive integer, got '" + text + "'");
  }

  private static long longValue(String option, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer, got '" + text + "'", e);
    }
  }

  private static double positiveDouble(String option, String text) {
    try {
      double x = Double.parseDouble(text.trim());
      if (x > 0 && Double.isFinite(x)) {
        return x;
      }
    } catch (NumberFormatException e) {
      // fall through to the one-line error
    }
    throw new IllegalArgumentException(option + " must be a positive number, got '" + text + "'");
  }

  private static List<Integer> widths(String text) {
    List<Integer> widths = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        widths.add(positiveInt("--hidden", part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--hidden must be comma-separated positive layer widths, e.g. 32,16; got '"
                + text
                + "'",
            e);
      }
    }
    return widths;
  }
}
