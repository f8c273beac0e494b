package io.parity.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Settings of a single-node local Kafka broker: start from {@link #defaults(Path)}, adjust with the
 * order-independent {@code withX} methods.
 *
 * @param dataDir where the broker keeps its configuration, topic data, pid file and logs; one
 *     broker per directory
 * @param host the only address the broker listens on
 * @param port the client (PLAINTEXT) port
 * @param controllerPort the KRaft controller port
 * @param maxHeap the broker JVM's maximum heap, in {@code -Xmx} syntax without the flag ({@code
 *     512m})
 * @param defaultPartitions partitions of automatically created topics
 * @param startupTimeout how long {@code start()} waits for the broker to serve requests
 * @param stopTimeout how long {@code stop()} waits for a graceful shutdown before killing
 * @param ownerPid if present, the broker exits when this process exits, even when it is killed with
 *     SIGKILL (which skips shutdown hooks); test brokers use this, command-line brokers do not
 */
public record BrokerConfig(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    String maxHeap,
    int defaultPartitions,
    Duration startupTimeout,
    Duration stopTimeout,
    OptionalLong ownerPid) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;
  public static final String DEFAULT_MAX_HEAP = "512m";
  public static final int DEFAULT_PARTITIONS = 4;
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

  public BrokerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    // log.dirs is a comma-separated list in server.properties.
    if (dataDir.toString().contains(",")) {
      throw new IllegalArgumentException("Kafka data directory must not contain ',': " + dataDir);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    requirePort(port, "port");
    requirePort(controllerPort, "controller port");
    if (maxHeap == null || !HEAP_SIZE.matcher(maxHeap).matches()) {
      throw new IllegalArgumentException(
          "max heap must look like 512m or 1g (the -Xmx value without -Xmx), got: " + maxHeap);
    }
    if (defaultPartitions < 1) {
      throw new IllegalArgumentException(
          "default partitions must be at least 1, got: " + defaultPartitions);
    }
    requirePositive(startupTimeout, "startup timeout");
    requirePositive(stopTimeout, "stop timeout");
    Objects.requireNonNull(ownerPid, "ownerPid");
  }

  /** Defaults: 127.0.0.1, ports 9092 and 9093, 512m heap, 4 partitions, 60 s to start. */
  public static BrokerConfig defaults(Path dataDir) {
    return new BrokerConfig(
        dataDir,
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_CONTROLLER_PORT,
        DEFAULT_MAX_HEAP,
        DEFAULT_PARTITIONS,
        DEFAULT_STARTUP_TIMEOUT,
        DEFAULT_STOP_TIMEOUT,
        OptionalLong.empty());
  }

  public BrokerConfig withHost(String newHost) {
    return new BrokerConfig(
        dataDir,
        newHost,
        port,
        controllerPort,
        maxHeap,
        defaultPartitions,
        startupTimeout,
        stopTimeout,
        ownerPid);
  }

  public BrokerConfig withPort(int newPort) {
    return new BrokerConfig(
        dataDir,
        host,
        newPort,
        controllerPort,
        maxHeap,
        defaultPartitions,
        startupTimeout,
        stopTimeout,
        ownerPid);
  }

  public BrokerConfig withControllerPort(int newControllerPort) {
    return new BrokerConfig(
        dataDir,
        host,
        port,
        newControllerPort,
        maxHeap,
        defaultPartitions,
        startupTimeout,
        stopTimeout,
        ownerPid);
  }

  public BrokerConfig withMaxHeap(String newMaxHeap) {
    return new BrokerConfig(
        dataDir,
        host,
        port,
        controllerPort,
        newMaxHeap,
        defaultPartitions,
        startupTimeout,
        stopTimeout,
        ownerPid);
  }

  public BrokerConfig withDefaultPartitions(int newDefaultPartitions) {
    return new BrokerConfig(
        dataDir,
        host,
        port,
        controllerPort,
        maxHeap,
        newDefaultPartitions,
        startupTimeout,
        stopTimeout,
        ownerPid);
  }

  public BrokerConfig withStartupTimeout(Duration newStartupTimeout) {
    return new BrokerConfig(
        dataDir,
        host,
        port,
        controllerPort,
        maxHeap,
        defaultPartitions,
        newStartupTimeout,
        stopTimeout,
        ownerPid);
  }

  public BrokerConfig withStopTimeout(Duration newStopTimeout) {
    return new BrokerConfig(
        dataDir,
        host,
        port,
        controllerPort,
        maxHeap,
        defaultPartitions,
        startupTimeout,
        newStopTimeout,
        ownerPid);
  }

  /** The broker exits when {@code owner} exits (used for test brokers). */
  public BrokerConfig withOwner(ProcessHandle owner) {
    return new BrokerConfig(
        dataDir,
        host,
        port,
        controllerPort,
        maxHeap,
        defaultPartitions,
        startupTimeout,
        stopTimeout,
        OptionalLong.of(owner.pid()));
  }

  /** {@code host:port}, what clients pass as {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  private static void requirePort(int value, String name) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(name + " must be within 1..65535, got: " + value);
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got: " + value);
    }
  }
}
