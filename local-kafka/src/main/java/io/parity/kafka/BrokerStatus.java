package io.parity.kafka;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What a local broker is doing, as returned by {@code start()}, {@code stop()} and {@code
 * status()}.
 *
 * @param running whether the broker process from this data directory is alive
 * @param pid its process id, if running
 * @param bootstrapServers where clients reach it (the running broker's, else the configured one)
 * @param dataDir the broker's data directory
 * @param logFile the broker's log
 * @param message one line for humans: "started in 2.4 s", "already running", "stopped", ...
 */
public record BrokerStatus(
    boolean running,
    OptionalLong pid,
    String bootstrapServers,
    Path dataDir,
    Path logFile,
    String message) {

  /** A few lines for a command line: the message, then where the broker and its files are. */
  public String describe() {
    StringBuilder text = new StringBuilder("Kafka broker: ").append(message).append('\n');
    if (running) {
      text.append("  pid:               ").append(pid.orElse(-1)).append('\n');
    }
    text.append("  bootstrap servers: ").append(bootstrapServers).append('\n');
    text.append("  data directory:    ").append(dataDir).append('\n');
    text.append("  log:               ").append(logFile);
    return text.toString();
  }
}
