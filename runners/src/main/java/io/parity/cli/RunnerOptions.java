package io.parity.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The runner choice shared by every pipeline command, turned into Beam pipeline arguments. */
public final class RunnerOptions {

  /** The runners Parity supports. */
  public enum Runner {
    direct,
    flink
  }

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");

  @Option(
      names = "--runner",
      defaultValue = "direct",
      description = "direct or flink (default: ${DEFAULT-VALUE})")
  Runner runner = Runner.direct;

  @Option(
      names = "--flinkMaster",
      defaultValue = "[local]",
      description =
          "[local] for an embedded mini-cluster, or host:port of a Flink JobManager"
              + " (default: ${DEFAULT-VALUE})")
  String flinkMaster = "[local]";

  @Option(
      names = "--parallelism",
      description = "workers (Flink parallelism, Direct runner threads); default: cores")
  Integer parallelism;

  /** Validates and returns the Beam arguments for this choice. */
  public List<String> beamArgs() {
    List<String> args = new ArrayList<>();
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
    }
    switch (runner) {
      case direct -> {
        args.add("--runner=DirectRunner");
        // Return from run() at once so jobs can print progress while they wait.
        args.add("--blockOnRun=false");
        // The Direct runner's immutability and encodability checks re-encode every element; the
        // test suite keeps them on, the command line runs without them (about 2x faster).
        args.add("--enforceImmutability=false");
        args.add("--enforceEncodability=false");
        if (parallelism != null) {
          args.add("--targetParallelism=" + parallelism);
        }
      }
      case flink -> {
        if (!flinkMaster.equals("[local]")
            && !flinkMaster.equals("[auto]")
            && !HOST_PORT.matcher(flinkMaster).matches()) {
          throw new IllegalArgumentException(
              "--flinkMaster must be [local], [auto] or host:port, got '" + flinkMaster + "'");
        }
        args.add("--runner=FlinkRunner");
        args.add("--flinkMaster=" + flinkMaster);
        // Parity's DoFns never mutate their inputs, so Flink may skip defensive copies.
        args.add("--fasterCopy=true");
        if (parallelism != null) {
          args.add("--parallelism=" + parallelism);
        }
      }
    }
    return args;
  }

  /** These options as command-line arguments, to pass them on to another command. */
  List<String> cliArgs() {
    List<String> args =
        new ArrayList<>(List.of("--runner=" + runner, "--flinkMaster=" + flinkMaster));
    if (parallelism != null) {
      args.add("--parallelism=" + parallelism);
    }
    return args;
  }

  public Runner runner() {
    return runner;
  }
}
