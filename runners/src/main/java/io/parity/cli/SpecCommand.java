package io.parity.cli;

import io.parity.features.FeatureDefinition;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/** {@code parity spec validate|show}: check a feature spec file and see what it defines. */
@Command(
    name = "spec",
    mixinStandardHelpOptions = true,
    description = {
      "Feature spec files (YAML or JSON, format in docs/specs.md): validate one, or show its"
          + " features and fingerprint.",
      "Examples ship in shared-features/src/main/resources/specs/."
    },
    subcommands = {SpecCommand.Validate.class, SpecCommand.Show.class})
final class SpecCommand implements Runnable {

  /** Exit code for a spec with problems (as for other user errors). */
  static final int INVALID = 2;

  @CommandLine.Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Loads the file, or prints every problem (one per line, to stderr) and returns null. A missing
   * file is a plain user error, left to the top-level handler.
   */
  static FeatureSpec load(Path file, CommandSpec cmd) {
    try {
      return SpecFile.load(file);
    } catch (SpecFile.InvalidSpecException e) {
      PrintWriter err = cmd.commandLine().getErr();
      e.problems().forEach(p -> err.println(file + ": " + p));
      err.flush();
      return null;
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Check a spec file; print every problem with its line. Exit 0 if valid, 2 if not.")
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec CommandSpec cmd;

    @Parameters(paramLabel = "FILE", description = "the spec file")
    Path file;

    @Override
    public Integer call() {
      FeatureSpec s = load(file, cmd);
      if (s == null) {
        return INVALID;
      }
      PrintWriter out = cmd.commandLine().getOut();
      out.printf(
          "OK: %d features over entities %s, fingerprint %s%n",
          s.features().size(), List.copyOf(s.entities().keySet()), SpecFingerprint.of(s));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print a spec's name, fingerprint, entities and a table of its features.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandSpec cmd;

    @Parameters(paramLabel = "FILE", description = "the spec file")
    Path file;

    @Override
    public Integer call() {
      FeatureSpec s = load(file, cmd);
      if (s == null) {
        return INVALID;
      }
      PrintWriter out = cmd.commandLine().getOut();
      out.print(describe(s));
      out.flush();
      return 0;
    }
  }

  /** The text {@code show} prints. */
  static String describe(FeatureSpec s) {
    StringBuilder b = new StringBuilder();
    b.append("name:        ").append(s.name()).append('\n');
    b.append("fingerprint: ").append(SpecFingerprint.of(s)).append('\n');
    b.append("time zone:   ").append(s.timeZone().getId()).append('\n');
    b.append("lateness:    allowed ")
        .append(SpecFile.formatDuration(s.allowedLateness()))
        .append(", max ")
        .append(SpecFile.formatDuration(s.maxLateness()))
        .append('\n');
    b.append("entities:    ")
        .append(
            s.entities().entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue().key())
                .collect(Collectors.joining(", ")))
        .append('\n');
    b.append("features:    ").append(s.features().size()).append("\n\n");

    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "TYPE", "ENTITY", "FUNCTION/KIND", "FIELD", "WINDOW", "DELAY"});
    for (FeatureDefinition f : s.features()) {
      rows.add(row(f));
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", r[i]));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  private static String[] row(FeatureDefinition f) {
    String kind = "-";
    String field = "-";
    Duration window = null;
    Duration delay = null;
    if (f instanceof FeatureDefinition.Aggregate a) {
      kind = snake(a.function());
      field = a.field() == null ? "-" : a.field().key();
      window = a.window();
      delay = a.delay();
    } else if (f instanceof FeatureDefinition.LabelAggregate l) {
      kind = snake(l.function());
      window = l.window();
      delay = l.delay();
    } else if (f instanceof FeatureDefinition.AmountToMean m) {
      field = "amount";
      window = m.window();
      delay = m.delay();
    } else if (f instanceof FeatureDefinition.Calendar c) {
      kind = snake(c.kind());
      if (c.kind() == FeatureDefinition.CalendarKind.NIGHT) {
        kind += " [" + c.nightStartHour() + ", " + c.nightEndHour() + ")";
      }
    } else if (f instanceof FeatureDefinition.Geo g) {
      kind = snake(g.kind());
    } else if (f instanceof FeatureDefinition.Categorical c) {
      kind = c.vocabulary().size() + " values";
      field = c.field().key();
    }
    return new String[] {
      f.name(),
      SpecFile.typeName(f),
      f.entity() == null ? "-" : f.entity(),
      kind,
      field,
      window == null ? "-" : SpecFile.formatDuration(window),
      delay == null ? "-" : SpecFile.formatDuration(delay)
    };
  }

  private static String snake(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
