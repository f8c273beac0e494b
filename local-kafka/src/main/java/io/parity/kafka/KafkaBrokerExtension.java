package io.parity.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one real local Kafka broker per test JVM, shared by all test classes
 * that use it, and injects {@link KafkaBrokerInfo} parameters.
 *
 * <p>The broker starts lazily on free ports with a fresh data directory under {@code
 * target/kafka-test-*}, and stops when the test run ends (it lives in the root extension context
 * store). A shutdown hook stops it if the JVM exits early, and the broker exits by itself if the
 * test JVM is killed outright.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  private static volatile KafkaBrokerInfo current;

  @Override
  public void beforeAll(ExtensionContext context) {
    sharedBroker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBrokerInfo.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return sharedBroker(context).info;
  }

  /**
   * The broker of this test JVM, for code that cannot take parameters.
   *
   * @throws IllegalStateException if no test class with this extension has started yet
   */
  public static KafkaBrokerInfo broker() {
    KafkaBrokerInfo info = current;
    if (info == null) {
      throw new IllegalStateException(
          "No Kafka test broker is running: annotate the test class with"
              + " @ExtendWith(KafkaBrokerExtension.class); it starts before @BeforeAll methods");
    }
    return info;
  }

  /** Shortcut for {@code broker().bootstrapServers()}. */
  public static String bootstrapServers() {
    return broker().bootstrapServers();
  }

  private static SharedBroker sharedBroker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(), SharedBroker.class);
  }

  /** The broker in the root store; JUnit closes AutoCloseable store values when the run ends. */
  static final class SharedBroker implements AutoCloseable {
    final LocalKafkaBroker broker;
    final KafkaBrokerInfo info;
    private final Thread shutdownHook;

    private SharedBroker(LocalKafkaBroker broker, KafkaBrokerInfo info, Thread shutdownHook) {
      this.broker = broker;
      this.info = info;
      this.shutdownHook = shutdownHook;
    }

    static SharedBroker start() {
      int[] ports = freePorts();
      Path dataDir =
          Path.of(System.getProperty("user.dir"), "target", "kafka-test-" + UUID.randomUUID());
      LocalKafkaBroker broker =
          new LocalKafkaBroker(
              BrokerConfig.defaults(dataDir)
                  .withPort(ports[0])
                  .withControllerPort(ports[1])
                  .withOwner(ProcessHandle.current()));
      Thread hook = new Thread(broker::stop, "stop-kafka-test-broker");
      Runtime.getRuntime().addShutdownHook(hook);
      BrokerStatus status;
      try {
        status = broker.start();
      } catch (RuntimeException e) {
        Runtime.getRuntime().removeShutdownHook(hook);
        throw e;
      }
      KafkaBrokerInfo info =
          new KafkaBrokerInfo(
              status.bootstrapServers(),
              status.pid().orElseThrow(),
              status.dataDir(),
              status.logFile());
      current = info;
      return new SharedBroker(broker, info, hook);
    }

    @Override
    public void close() {
      current = null;
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down, so the hook runs anyway; stop() below is idempotent.
      }
      broker.stop();
    }

    /** Two distinct free ports on 127.0.0.1 (both held open at once so they differ). */
    private static int[] freePorts() {
      try (ServerSocket first = bindAnyPort();
          ServerSocket second = bindAnyPort()) {
        return new int[] {first.getLocalPort(), second.getLocalPort()};
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find free ports on " + BrokerConfig.DEFAULT_HOST, e);
      }
    }

    private static ServerSocket bindAnyPort() throws IOException {
      return new ServerSocket(0, 1, InetAddress.getByName(BrokerConfig.DEFAULT_HOST));
    }
  }
}
