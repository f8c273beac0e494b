package io.parity.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parity} command line: one entry point for every Parity job and tool. */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    version = "parity 0.1.0",
    description = "Real-time ML on Apache Beam: one feature library, batch and streaming.",
    subcommands = {
      KafkaCommand.class,
      GenerateCommand.class,
      IngestCommand.class,
      FeaturesCommand.class,
      BatchCommand.class,
      SqlCommand.class,
      TablesCommand.class,
      TrainingSetCommand.class,
      TrainCommand.class,
      SpecCommand.class,
      StreamCommand.class,
      SkewCheckCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Parity implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests call it in-process). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Parity());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // Expected user errors get one clear line; anything else keeps its stack trace.
          if (e instanceof IllegalArgumentException
              || e instanceof IllegalStateException
              || e instanceof io.parity.kafka.KafkaBrokerException) {
            cmd.getErr().println("parity: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The project's work directory for local data (broker, generated files, warehouse). */
  static Path workDir() {
    String home = System.getenv("PARITY_HOME");
    Path base = home == null ? Path.of("").toAbsolutePath() : Path.of(home);
    String work = System.getenv("PARITY_WORK");
    return work == null ? base.resolve("work") : Path.of(work);
  }
}
