package io.parity.kafka;

import java.nio.file.Path;

/** Where a local broker keeps each of its files inside its data directory. */
record BrokerFiles(Path dataDir) {

  Path serverProperties() {
    return dataDir.resolve("server.properties");
  }

  Path log4jConfig() {
    return dataDir.resolve("log4j2.xml");
  }

  Path clusterId() {
    return dataDir.resolve("cluster.id");
  }

  Path pidFile() {
    return dataDir.resolve("broker.pid");
  }

  Path lockFile() {
    return dataDir.resolve("broker.lock");
  }

  /** The broker's log4j2 log; the name matches the one Kafka's own scripts use. */
  Path serverLog() {
    return dataDir.resolve("server.log");
  }

  /** The broker JVM's stdout and stderr: empty unless the JVM itself fails. */
  Path consoleLog() {
    return dataDir.resolve("broker.out");
  }

  Path formatLog() {
    return dataDir.resolve("format.log");
  }

  /** Kafka's {@code log.dirs}: topic partitions and the KRaft metadata log. */
  Path kafkaLogDir() {
    return dataDir.resolve("data");
  }

  /** Written by {@code kafka-storage format}; its presence means the storage is formatted. */
  Path metaProperties() {
    return kafkaLogDir().resolve("meta.properties");
  }

  /** Classes copied here run inside the broker JVM without this jar on its classpath. */
  Path launcherClasses() {
    return dataDir.resolve("launcher");
  }
}
