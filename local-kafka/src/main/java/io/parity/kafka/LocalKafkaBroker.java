package io.parity.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Starts, stops and reports a real single-node Kafka broker (KRaft, no ZooKeeper) in its own JVM.
 *
 * <p>All state lives in the data directory (configuration, pid file, logs, topic data), so any
 * instance (or process) configured with the same directory sees the same broker: {@link #start()}
 * and {@link #stop()} are idempotent. Plain JDK code: the broker's jars are only on the broker
 * JVM's classpath, never on the caller's.
 */
public final class LocalKafkaBroker {
  /**
   * First JVM argument of every broker; identifies it by data directory even if pids are reused.
   */
  static final String MARKER_PROPERTY = "parity.kafka.dataDir";

  private static final int LOG_TAIL_LINES = 20;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  // FileLock is per JVM and throws on overlap, so threads of one JVM queue on this first.
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final BrokerConfig config;
  private final BrokerFiles files;

  public LocalKafkaBroker(BrokerConfig config) {
    this.config = config;
    this.files = new BrokerFiles(config.dataDir());
  }

  public BrokerConfig config() {
    return config;
  }

  /**
   * Starts the broker and waits until it serves requests; returns at once if a broker from this
   * data directory already serves. Formats the storage on first use.
   *
   * @throws KafkaBrokerException if a port is taken by another process, or the broker does not
   *     serve within the startup timeout (the message then ends with the broker log's last lines,
   *     and the broker process is killed)
   */
  public BrokerStatus start() {
    if (config.port() == config.controllerPort()) {
      throw new KafkaBrokerException(
          "The broker port and the controller port are both "
              + config.port()
              + ": choose different ones (--port, --controller-port)");
    }
    createDirectories(config.dataDir());
    return underLock(
        () -> {
          Instant deadline = Instant.now().plus(config.startupTimeout());
          Optional<ProcessHandle> existing = runningBroker();
          if (existing.isPresent()) {
            return awaitExisting(existing.get(), deadline);
          }
          deleteIfExists(files.pidFile());
          requireFree(config.port(), "Port", "--port");
          requireFree(config.controllerPort(), "Controller port", "--controller-port");
          String classpath = BrokerClasspath.load();
          writeConfiguration();
          long began = System.nanoTime();
          if (!Files.exists(files.metaProperties())) {
            format(classpath, deadline);
          }
          Process broker = launch(classpath);
          try {
            writeString(files.pidFile(), broker.pid() + "\n");
            awaitServing(
                broker.toHandle(), Optional.of(broker), config.host(), config.port(), deadline);
          } catch (RuntimeException e) {
            kill(broker.toHandle());
            deleteIfExists(files.pidFile());
            throw e;
          }
          Duration took = Duration.ofNanos(System.nanoTime() - began);
          return running(broker.pid(), config.bootstrapServers(), "started in " + seconds(took));
        });
  }

  /**
   * Stops the broker gracefully, or kills it after the stop timeout; does nothing if it is not
   * running. Removes the pid file.
   */
  public BrokerStatus stop() {
    if (!Files.isDirectory(config.dataDir())) {
      return notRunning("not running (no data directory)");
    }
    return underLock(
        () -> {
          OptionalLong pid = readPid();
          Optional<ProcessHandle> broker = runningBroker();
          if (broker.isEmpty()) {
            deleteIfExists(files.pidFile());
            return notRunning(
                pid.isPresent() ? "not running (removed a stale pid file)" : "not running");
          }
          long began = System.nanoTime();
          boolean graceful = terminate(broker.get(), config.stopTimeout());
          deleteIfExists(files.pidFile());
          Duration took = Duration.ofNanos(System.nanoTime() - began);
          return notRunning(
              graceful
                  ? "stopped (pid " + broker.get().pid() + ") in " + seconds(took)
                  : "killed (pid "
                      + broker.get().pid()
                      + "): no graceful exit within "
                      + seconds(config.stopTimeout()));
        });
  }

  /** Whether the broker from this data directory runs, and where; never blocks on a start. */
  public BrokerStatus status() {
    Optional<ProcessHandle> broker = runningBroker();
    if (broker.isEmpty()) {
      return notRunning(readPid().isPresent() ? "not running (stale pid file)" : "not running");
    }
    String bootstrap = runningBootstrapServers();
    KafkaProtocolProbe.Answer answer = probe(bootstrap);
    return running(
        broker.get().pid(),
        bootstrap,
        answer.serving()
            ? "running"
            : "running, but not serving requests on " + bootstrap + " (" + answer.detail() + ")");
  }

  private BrokerStatus awaitExisting(ProcessHandle broker, Instant deadline) {
    String bootstrap = runningBootstrapServers();
    String[] hostPort = splitHostPort(bootstrap);
    awaitServing(broker, Optional.empty(), hostPort[0], Integer.parseInt(hostPort[1]), deadline);
    String message = "already running (pid " + broker.pid() + ")";
    if (!bootstrap.equals(config.bootstrapServers())) {
      message +=
          " on "
              + bootstrap
              + ", not the requested "
              + config.bootstrapServers()
              + ": stop it first to change ports";
    }
    return running(broker.pid(), bootstrap, message);
  }

  /**
   * Polls until the broker serves requests.
   *
   * @param child the broker's {@link Process} if this JVM launched it (only then is its exit code
   *     known)
   */
  private void awaitServing(
      ProcessHandle broker, Optional<Process> child, String host, int port, Instant deadline) {
    while (true) {
      if (!broker.isAlive()) {
        throw failure(
            "the broker process (pid "
                + broker.pid()
                + ") exited during startup"
                + child.map(p -> " with code " + p.exitValue()).orElse(""));
      }
      KafkaProtocolProbe.Answer answer = KafkaProtocolProbe.ask(host, port, PROBE_TIMEOUT);
      if (answer.serving()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw failure(
            "the broker (pid "
                + broker.pid()
                + ") did not serve requests on "
                + host
                + ":"
                + port
                + " within "
                + seconds(config.startupTimeout())
                + " (last answer: "
                + answer.detail()
                + ")");
      }
      sleep(POLL_INTERVAL);
    }
  }

  /** The running broker from this data directory: pid file, process alive, and launched by us. */
  private Optional<ProcessHandle> runningBroker() {
    OptionalLong pid = readPid();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    String marker = " -D" + MARKER_PROPERTY + "=" + config.dataDir() + " ";
    // The marker is the first argument because the JDK reads only the first page of a process's
    // command line (and then reports no arguments()), and the broker's classpath is longer.
    return ProcessHandle.of(pid.getAsLong())
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
  }

  private OptionalLong readPid() {
    Path pidFile = files.pidFile();
    if (!Files.exists(pidFile)) {
      return OptionalLong.empty();
    }
    String text = readString(pidFile).trim();
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      // A torn or foreign pid file names no process of ours; start() overwrites it.
      return OptionalLong.empty();
    }
  }

  /** The running broker's address, from the server.properties it was started with. */
  private String runningBootstrapServers() {
    Properties properties = new Properties();
    try (Reader reader =
        Files.newBufferedReader(files.serverProperties(), StandardCharsets.ISO_8859_1)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + files.serverProperties(), e);
    }
    String listener = properties.getProperty("advertised.listeners", "");
    String prefix = "PLAINTEXT://";
    if (!listener.startsWith(prefix)) {
      throw new KafkaBrokerException(
          "Unexpected advertised.listeners in " + files.serverProperties() + ": " + listener);
    }
    return listener.substring(prefix.length());
  }

  private static String[] splitHostPort(String bootstrap) {
    int colon = bootstrap.lastIndexOf(':');
    return new String[] {bootstrap.substring(0, colon), bootstrap.substring(colon + 1)};
  }

  private static KafkaProtocolProbe.Answer probe(String bootstrap) {
    String[] hostPort = splitHostPort(bootstrap);
    return KafkaProtocolProbe.ask(hostPort[0], Integer.parseInt(hostPort[1]), PROBE_TIMEOUT);
  }

  private void requireFree(int port, String what, String option) {
    try (ServerSocket socket = new ServerSocket()) {
      // Like Kafka's own listener: a port in TIME_WAIT from an earlier broker counts as free.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(config.host(), port));
    } catch (BindException e) {
      throw new KafkaBrokerException(
          what
              + " "
              + port
              + " on "
              + config.host()
              + " is already in use by another process (not by a broker started from "
              + config.dataDir()
              + "). Stop that process, or choose another port with "
              + option
              + ".",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check whether port " + port + " is free", e);
    }
  }

  private void writeConfiguration() {
    createDirectories(files.kafkaLogDir());
    writeString(files.serverProperties(), ServerProperties.render(config, files));
    writeString(files.log4jConfig(), ServerProperties.log4j2Xml());
  }

  /** Formats the storage (kafka-storage format) with this data directory's cluster id. */
  private void format(String classpath, Instant deadline) {
    // A short-lived tool: the optimizing JIT only costs startup time (~0.2 s of ~0.9 s).
    List<String> command = javaCommand(classpath, "-XX:TieredStopAtLevel=1");
    command.add("kafka.tools.StorageTool");
    command.add("format");
    command.add("--config");
    command.add(files.serverProperties().toString());
    command.add("--cluster-id");
    command.add(clusterId());
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(config.dataDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(files.formatLog().toFile())
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kafka-storage format: " + command.get(0), e);
    }
    boolean exited = waitFor(process.toHandle(), Duration.between(Instant.now(), deadline));
    if (!exited) {
      kill(process.toHandle());
      throw new KafkaBrokerException(
          "Formatting the Kafka storage in "
              + files.kafkaLogDir()
              + " did not finish within "
              + seconds(config.startupTimeout())
              + "; output:\n"
              + tail(files.formatLog(), LOG_TAIL_LINES));
    }
    if (process.exitValue() != 0) {
      throw new KafkaBrokerException(
          "Formatting the Kafka storage in "
              + files.kafkaLogDir()
              + " failed with exit code "
              + process.exitValue()
              + "; output:\n"
              + tail(files.formatLog(), LOG_TAIL_LINES));
    }
  }

  /** The cluster id of this data directory, created on first use (22 characters, as Kafka's). */
  private String clusterId() {
    if (Files.exists(files.clusterId())) {
      return readString(files.clusterId()).trim();
    }
    String id;
    do {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      // Kafka's own generator skips ids starting with '-': they read as options on command lines.
    } while (id.startsWith("-"));
    writeString(files.clusterId(), id + "\n");
    return id;
  }

  private Process launch(String classpath) {
    List<String> command = javaCommand(classpath);
    if (config.ownerPid().isPresent()) {
      installOwnerWatch();
      command.add(ExitWithOwner.class.getName());
      command.add(String.valueOf(config.ownerPid().getAsLong()));
    }
    command.add("kafka.Kafka");
    command.add(files.serverProperties().toString());
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(config.dataDir().toFile())
              .redirectErrorStream(true)
              // A file, not a pipe: the broker outlives this JVM (parity kafka start returns).
              .redirectOutput(ProcessBuilder.Redirect.appendTo(files.consoleLog().toFile()))
              .start();
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot launch the Kafka broker JVM: " + command.get(0), e);
    }
  }

  /** {@code java <marker> <jvm options> -cp <classpath>}; callers append the main class. */
  private List<String> javaCommand(String classpath, String... extraJvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("-D" + MARKER_PROPERTY + "=" + config.dataDir());
    command.addAll(List.of(extraJvmOptions));
    command.add("-Xmx" + config.maxHeap());
    command.add("-Djava.awt.headless=true");
    command.add("-Dkafka.logs.dir=" + config.dataDir());
    command.add("-Dlog4j2.configurationFile=" + files.log4jConfig());
    command.add("-cp");
    String launcher = config.ownerPid().isPresent() ? files.launcherClasses().toString() : null;
    command.add(launcher == null ? classpath : classpath + File.pathSeparator + launcher);
    return command;
  }

  /** Copies ExitWithOwner's class file into the data directory (see its Javadoc for why). */
  private void installOwnerWatch() {
    String resource = ExitWithOwner.class.getSimpleName() + ".class";
    Path target =
        files
            .launcherClasses()
            .resolve(ExitWithOwner.class.getPackageName().replace('.', '/'))
            .resolve(resource);
    try (InputStream in = ExitWithOwner.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new KafkaBrokerException("Class file " + resource + " not found next to its class");
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + resource + " to " + target, e);
    }
  }

  private static String javaExecutable() {
    Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(fromHome)) {
      return fromHome.toString();
    }
    return ProcessHandle.current()
        .info()
        .command()
        .orElseThrow(
            () -> new KafkaBrokerException("Cannot find the java executable under " + fromHome));
  }

  /** Graceful stop (SIGTERM: Kafka's shutdown hook), then SIGKILL; true if it was graceful. */
  private static boolean terminate(ProcessHandle process, Duration gracePeriod) {
    if (process.destroy() && waitFor(process, gracePeriod)) {
      return true;
    }
    kill(process);
    return false;
  }

  private static void kill(ProcessHandle process) {
    process.destroyForcibly();
    if (!waitFor(process, KILL_TIMEOUT)) {
      throw new KafkaBrokerException(
          "Process " + process.pid() + " is still alive " + seconds(KILL_TIMEOUT) + " after kill");
    }
  }

  /** Waits for the process to exit; false on timeout. */
  private static boolean waitFor(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new KafkaBrokerException("Waiting for process " + process.pid() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaBrokerException("Interrupted while waiting for process " + process.pid(), e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaBrokerException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  private KafkaBrokerException failure(String reason) {
    StringBuilder message =
        new StringBuilder("Kafka broker in ")
            .append(config.dataDir())
            .append(" did not start: ")
            .append(reason)
            .append(".\nLast lines of ")
            .append(files.serverLog())
            .append(":\n")
            .append(tail(files.serverLog(), LOG_TAIL_LINES));
    // The JVM's own output (bad option, missing class, crash) is usually empty.
    String console = tail(files.consoleLog(), LOG_TAIL_LINES);
    if (!console.isBlank()) {
      message.append("\nLast lines of ").append(files.consoleLog()).append(":\n").append(console);
    }
    return new KafkaBrokerException(message.toString());
  }

  /** The last lines of a text file, reading at most its last 64 KiB; "" if it does not exist. */
  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private BrokerStatus running(long pid, String bootstrap, String message) {
    return new BrokerStatus(
        true, OptionalLong.of(pid), bootstrap, config.dataDir(), files.serverLog(), message);
  }

  private BrokerStatus notRunning(String message) {
    return new BrokerStatus(
        false,
        OptionalLong.empty(),
        config.bootstrapServers(),
        config.dataDir(),
        files.serverLog(),
        message);
  }

  /** Serializes start and stop across threads and processes that share this data directory. */
  private <T> T underLock(Supplier<T> action) {
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(config.dataDir(), d -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel =
        FileChannel.open(files.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock(); // released when the channel closes
      return action.get();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + files.lockFile(), e);
    } finally {
      jvmLock.unlock();
    }
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create directory " + dir, e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Writes through a temporary file, so readers never see half a file. */
  private static void writeString(Path file, String text) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(temporary, text);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + file, e);
    }
  }
}
