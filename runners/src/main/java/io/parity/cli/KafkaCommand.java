package io.parity.cli;

import io.parity.kafka.BrokerConfig;
import io.parity.kafka.BrokerStatus;
import io.parity.kafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parity kafka start|stop|status}: the local single-node Kafka broker. */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = "The local single-node Kafka broker (KRaft, its own JVM; data under work/kafka).",
    subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class})
final class KafkaCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Options every broker subcommand shares. */
  static class BrokerOptions {
    @Option(
        names = "--data-dir",
        description = "broker data directory (default: work/kafka under the project)")
    Path dataDir;

    @Option(
        names = "--port",
        defaultValue = "9092",
        description = "client port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
        names = "--controller-port",
        defaultValue = "9093",
        description = "KRaft controller port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int controllerPort;

    LocalKafkaBroker broker() {
      Path dir = dataDir != null ? dataDir : Parity.workDir().resolve("kafka");
      return new LocalKafkaBroker(
          BrokerConfig.defaults(dir.toAbsolutePath())
              .withPort(port)
              .withControllerPort(controllerPort));
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start (or find running).")
  static final class Start extends BrokerOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      BrokerStatus s = broker().start();
      System.out.println(s.describe());
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop if running.")
  static final class Stop extends BrokerOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println(broker().stop().describe());
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Say whether it runs; exit code 0 if running, 3 if not.")
  static final class Status extends BrokerOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      BrokerStatus s = broker().status();
      System.out.println(s.describe());
      return s.running() ? 0 : 3;
    }
  }
}
