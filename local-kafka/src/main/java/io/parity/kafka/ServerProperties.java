package io.parity.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a single-node KRaft {@code server.properties} and the broker's log4j2 configuration. */
final class ServerProperties {
  static final int NODE_ID = 1;

  private ServerProperties() {}

  static String render(BrokerConfig config, BrokerFiles files) {
    String host = config.host();
    Map<String, String> p = new LinkedHashMap<>();
    // One JVM is both the KRaft controller and the broker. A static voter set (rather than
    // format --standalone) keeps the controller address out of the formatted storage, so the
    // controller port can change between runs.
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + config.controllerPort());
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + config.port()
            + ",CONTROLLER://"
            + host
            + ":"
            + config.controllerPort());
    p.put("advertised.listeners", "PLAINTEXT://" + config.bootstrapServers());
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", files.kafkaLogDir().toString());

    // Single node: every replication factor and min ISR is 1, or internal topics never get created.
    p.put("num.partitions", String.valueOf(config.defaultPartitions()));
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // 50 partitions each (the defaults) only slow down the first consumer group on one node.
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.num.partitions", "1");
    // Consumers of a new group start at once instead of waiting 3 s for more members.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("delete.topic.enable", "true");
    // Time-based retention reads record timestamps, and Parity produces historical events with
    // record timestamp = event time: with the default 7 days the broker would silently delete
    // replayed history minutes after it was written. A local dev broker keeps everything.
    p.put("log.retention.ms", "-1");

    // Fewer threads than the defaults (sized for servers): a laptop or CI box has a few cores.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");

    StringBuilder text =
        new StringBuilder(
            "# Written by Parity's LocalKafkaBroker on every start; edits are lost.\n");
    p.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
    return text.toString();
  }

  /**
   * Logs everything to {@code ${kafka.logs.dir}/server.log}, rolled at 20 MB; the launcher sets
   * {@code kafka.logs.dir} to the data directory (as Kafka's own scripts do). Log4j's own shutdown
   * hook is off: it would close the log while Kafka's shutdown hook still writes to it.
   */
  static String log4j2Xml() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Written by Parity's LocalKafkaBroker on every start; edits are lost. -->
        <Configuration status="WARN" shutdownHook="disable">
          <Appenders>
            <RollingFile name="server" fileName="${sys:kafka.logs.dir}/server.log"
                         filePattern="${sys:kafka.logs.dir}/server.log.%i">
              <PatternLayout pattern="[%d] %p %m (%c)%n"/>
              <SizeBasedTriggeringPolicy size="20 MB"/>
              <DefaultRolloverStrategy max="3"/>
            </RollingFile>
          </Appenders>
          <Loggers>
            <Root level="INFO">
              <AppenderRef ref="server"/>
            </Root>
            <Logger name="kafka.request.logger" level="WARN"/>
            <Logger name="org.apache.kafka.clients" level="WARN"/>
          </Loggers>
        </Configuration>
        """;
  }

  /** Escapes a value for {@code java.util.Properties}, which Kafka reads as ISO-8859-1. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      if (c == '\\') {
        out.append("\\\\");
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
