package io.parity.cli;

import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.training.Format;
import io.parity.lakehouse.training.Split;
import io.parity.lakehouse.training.TrainingSetVersion;
import io.parity.lakehouse.training.TrainingSets;
import io.parity.lakehouse.training.UnlabeledPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parity training-set}: create, list, show and pull versioned training sets. */
@Command(
    name = "training-set",
    mixinStandardHelpOptions = true,
    description = {
      "Versioned, point-in-time-correct training sets built from silver.features and"
          + " bronze.labels, stored as tagged snapshots of training.NAME (docs/training-sets.md)."
    },
    subcommands = {
      TrainingSetCommand.Create.class,
      TrainingSetCommand.ListVersions.class,
      TrainingSetCommand.Show.class,
      TrainingSetCommand.Pull.class
    })
final class TrainingSetCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Opens the catalog, runs the action, closes the catalog. */
  private static <T> T withCatalog(LakehouseOptionsMixin lakehouse, Function<Catalog, T> action) {
    Catalog catalog = lakehouse.config().open();
    try {
      return action.apply(catalog);
    } finally {
      CatalogConfig.close(catalog);
    }
  }

  /** {@code parity training-set create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates the next version NAME-vN: silver rows with event time in [FROM, TO), each"
            + " labelled with the latest label known at AS-OF (label_time <= AS-OF; ties: fraud"
            + " wins).",
        "Times: ISO-8601 (2026-11-25T10:00:00Z) or a date (2026-11-25 = midnight UTC)."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--name", required = true, description = "the set's name, e.g. fraud")
    String name;

    @Option(names = "--from", required = true, description = "first event time (inclusive)")
    String from;

    @Option(names = "--to", required = true, description = "end of event time (exclusive)")
    String to;

    @Option(names = "--as-of", required = true, description = "labels known at this time")
    String asOf;

    @Option(
        names = "--unlabeled",
        defaultValue = "negative",
        description =
            "events without a label at as-of: negative or exclude (default: ${DEFAULT-VALUE})")
    String unlabeled;

    @Option(
        names = "--split",
        description =
            "named time ranges, e.g. train:2026-01-01..2026-01-20,valid:2026-01-20..2026-01-27")
    String splits;

    @Option(
        names = "--spec-fingerprint",
        description = "the feature spec's fingerprint (default: the only or most recent in silver)")
    String fingerprint;

    @Mixin LakehouseOptionsMixin lakehouse;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<Split> splitList = Split.parseList(splits);
      TrainingSetVersion v =
          withCatalog(
              lakehouse,
              catalog ->
                  TrainingSets.create(
                      catalog,
                      name,
                      TrainingSets.parseTime(from),
                      TrainingSets.parseTime(to),
                      TrainingSets.parseTime(asOf),
                      fingerprint,
                      UnlabeledPolicy.parse(unlabeled),
                      splitList));
      out.printf(
          "created %s (snapshot %d): %,d rows, fingerprint %s%n",
          v.tag(), v.snapshotId(), v.rows(), v.specFingerprint());
      printCounts(out, v);
      out.flush();
      return 0;
    }
  }

  private static void printCounts(PrintWriter out, TrainingSetVersion v) {
    TrainingSetVersion.LabelCounts l = v.labels();
    out.printf(
        "  labels: %d fraud, %d legit, %d unlabeled as negative, %d excluded%n",
        l.fraud(), l.legit(), l.unlabeledNegative(), l.excluded());
    if (!v.rowsPerSplit().isEmpty()) {
      out.printf(
          "  splits: %s (%d rows outside every split dropped)%n",
          v.rowsPerSplit(), v.droppedOutsideSplits());
    }
    out.printf(
        "  statistics over %s (%d rows) of %d features%n",
        v.statsComputedOn(), v.statsRows(), v.features().size());
  }

  /** {@code parity training-set list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists every training set and version.")
  static final class ListVersions implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LakehouseOptionsMixin lakehouse;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<TrainingSetVersion> all = withCatalog(lakehouse, TrainingSets::list);
      if (all.isEmpty()) {
        out.println("no training sets yet: create one with parity training-set create");
      } else {
        out.printf(
            "%-24s %10s %-25s %-25s %-25s %s%n",
            "version", "rows", "from", "to", "as-of", "created");
        for (TrainingSetVersion v : all) {
          out.printf(
              "%-24s %,10d %-25s %-25s %-25s %s%n",
              v.tag(), v.rows(), v.from(), v.to(), v.asOf(), v.createdAt());
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code parity training-set show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Prints the manifest (JSON) of a version NAME-vN, or of every version of NAME.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME[-vN]", description = "a set or one version")
    String nameOrTag;

    @Mixin LakehouseOptionsMixin lakehouse;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (TrainingSetVersion v :
          withCatalog(lakehouse, catalog -> TrainingSets.show(catalog, nameOrTag))) {
        out.print(TrainingSets.prettyJson(TrainingSets.toJson(v)));
      }
      out.flush();
      return 0;
    }
  }

  /** {@code parity training-set pull}. */
  @Command(
      name = "pull",
      mixinStandardHelpOptions = true,
      description = {
        "Writes version NAME-vN to DIR: rows.parquet or rows.csv (sorted by event time, event id)"
            + " and manifest.json.",
        "Reads the tagged snapshot: pulling a version again gives byte-identical files."
      })
  static final class Pull implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME-vN", description = "the version, e.g. fraud-v3")
    String tag;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(
        names = "--format",
        defaultValue = "parquet",
        description = "parquet or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Mixin LakehouseOptionsMixin lakehouse;

    @Override
    public Integer call() {
      PrintWriter printer = spec.commandLine().getOut();
      Format f = Format.parse(format);
      TrainingSets.Pulled pulled =
          withCatalog(lakehouse, catalog -> TrainingSets.pull(catalog, tag, out, f));
      printer.printf(
          "pulled %s: %,d rows to %s and %s%n",
          tag, pulled.rows(), pulled.rowsFile(), pulled.manifestFile());
      printer.flush();
      return 0;
    }
  }
}
