package io.parity.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each test runs its own broker (not the shared test broker), because it stops it. */
class LocalKafkaBrokerTest {
  private Path dataDir;
  private LocalKafkaBroker broker;

  @BeforeEach
  void newDataDirectory() throws IOException {
    dataDir = Path.of("target", "kafka-lifecycle-" + UUID.randomUUID());
    Files.createDirectories(dataDir);
  }

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void startIsIdempotentStopStopsAndARestartKeepsTopics() throws Exception {
    int[] ports = freePorts();
    broker = new LocalKafkaBroker(config(ports));

    BrokerStatus first = broker.start();
    BrokerStatus second = broker.start();

    assertThat(first.running()).isTrue();
    assertThat(first.message()).startsWith("started in");
    assertThat(second.pid()).isEqualTo(first.pid());
    assertThat(second.message()).isEqualTo("already running (pid " + first.pid().getAsLong() + ")");
    String clusterId = Files.readString(dataDir.resolve("cluster.id"));
    createTopic(first.bootstrapServers(), "kept");

    BrokerStatus stopped = broker.stop();

    assertThat(stopped.running()).isFalse();
    assertThat(stopped.message()).startsWith("stopped (pid " + first.pid().getAsLong() + ")");
    assertThat(ProcessHandle.of(first.pid().getAsLong()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(broker.status().running()).isFalse();
    assertThat(broker.status().message()).isEqualTo("not running");
    assertThat(broker.stop().message()).isEqualTo("not running");
    assertThat(dataDir.resolve("broker.pid")).doesNotExist();

    BrokerStatus restarted = broker.start();

    assertThat(restarted.pid()).isNotEqualTo(first.pid());
    assertThat(Files.readString(dataDir.resolve("cluster.id"))).isEqualTo(clusterId);
    assertThat(topics(restarted.bootstrapServers())).contains("kept");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aPortTakenByAnotherProcessFailsFastNamingThePort() throws IOException {
    int[] ports = freePorts();
    try (ServerSocket squatter =
        new ServerSocket(ports[0], 1, InetAddress.getByName("127.0.0.1"))) {
      broker = new LocalKafkaBroker(config(ports));
      long began = System.nanoTime();

      assertThatThrownBy(broker::start)
          .isInstanceOf(KafkaBrokerException.class)
          .hasMessageContaining(
              "Port " + squatter.getLocalPort() + " on 127.0.0.1 is already in use")
          .hasMessageContaining("--port");

      assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
      assertThat(broker.status().running()).isFalse();
      assertThat(dataDir.resolve("broker.pid")).doesNotExist();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aTakenControllerPortNamesTheControllerPortOption() throws IOException {
    int[] ports = freePorts();
    try (ServerSocket squatter =
        new ServerSocket(ports[1], 1, InetAddress.getByName("127.0.0.1"))) {
      broker = new LocalKafkaBroker(config(ports));

      assertThatThrownBy(broker::start)
          .hasMessageContaining("Controller port " + squatter.getLocalPort())
          .hasMessageContaining("--controller-port");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aBrokerThatDiesDuringStartupIsReportedWithItsLog() throws IOException {
    // Storage "formatted" for another node id: Kafka refuses to start and exits.
    Files.createDirectories(dataDir.resolve("data"));
    Files.writeString(
        dataDir.resolve("data/meta.properties"),
        "version=1\nnode.id=7\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\ndirectory.id=AAAAAAAAAAAAAAAAAAAAAQ\n");
    broker = new LocalKafkaBroker(config(freePorts()));

    assertThatThrownBy(broker::start)
        .isInstanceOf(KafkaBrokerException.class)
        .hasMessageContaining("exited during startup with code")
        .hasMessageContaining("Last lines of " + dataDir.toAbsolutePath().resolve("server.log"))
        .hasMessageContaining("node");

    assertThat(broker.status().running()).isFalse();
    assertThat(dataDir.resolve("broker.pid")).doesNotExist();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anOwnedBrokerExitsWhenItsOwnerIsKilled() throws Exception {
    Process owner = new ProcessBuilder("sleep", "120").start();
    try {
      broker = new LocalKafkaBroker(config(freePorts()).withOwner(owner.toHandle()));
      long pid = broker.start().pid().getAsLong();

      owner.destroyForcibly().waitFor();

      ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
      assertThat(broker.status().running()).isFalse();
      assertThat(LocalKafkaBroker.tail(dataDir.resolve("broker.out"), 5))
          .contains("Owner process " + owner.pid() + " exited");
    } finally {
      owner.destroyForcibly();
    }
  }

  private BrokerConfig config(int[] ports) {
    return BrokerConfig.defaults(dataDir)
        .withPort(ports[0])
        .withControllerPort(ports[1])
        .withStartupTimeout(Duration.ofSeconds(45));
  }

  private static void createTopic(String bootstrapServers, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static Set<String> topics(String bootstrapServers) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  static int[] freePorts() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket first = new ServerSocket(0, 1, loopback);
        ServerSocket second = new ServerSocket(0, 1, loopback)) {
      return new int[] {first.getLocalPort(), second.getLocalPort()};
    }
  }
}
