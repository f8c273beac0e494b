package io.parity.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerPropertiesTest {

  @Test
  void singleNodeSettingsListenOnlyOnTheConfiguredHost() throws IOException {
    BrokerConfig config =
        BrokerConfig.defaults(Path.of("/tmp/parity kafka"))
            .withPort(19092)
            .withControllerPort(19093)
            .withDefaultPartitions(3);

    Properties p = load(ServerProperties.render(config, new BrokerFiles(config.dataDir())));

    assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
    assertThat(p.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
    assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/parity kafka/data");
    assertThat(p.getProperty("num.partitions")).isEqualTo("3");
    assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    // Replayed history (record timestamp = event time, months old) must not be deleted.
    assertThat(p.getProperty("log.retention.ms")).isEqualTo("-1");
    assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
    assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
    assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
    assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("true");
  }

  @Test
  void valuesSurviveJavaPropertiesParsing() throws IOException {
    String value = "C:\\kafka\\data \u00e9";

    assertThat(load("k=" + ServerProperties.escape(value)).getProperty("k")).isEqualTo(value);
  }

  @Test
  void configValidationSaysWhatIsWrong() {
    BrokerConfig defaults = BrokerConfig.defaults(Path.of("target/x"));

    assertThatThrownBy(() -> defaults.withPort(70000)).hasMessageContaining("port must be within");
    assertThatThrownBy(() -> defaults.withMaxHeap("-Xmx512m")).hasMessageContaining("512m");
    assertThatThrownBy(() -> defaults.withDefaultPartitions(0)).hasMessageContaining("at least 1");
    // Order-independent: a port may pass through the controller port's value on the way.
    assertThat(defaults.withPort(9093).withControllerPort(9094).port()).isEqualTo(9093);
    assertThatThrownBy(() -> new LocalKafkaBroker(defaults.withPort(9093)).start())
        .hasMessageContaining("both 9093");
  }

  private static Properties load(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }
}
