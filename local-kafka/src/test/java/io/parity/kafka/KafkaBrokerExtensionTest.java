package io.parity.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionTest {
  private static final int PARTITIONS = 3;
  private static final int RECORDS_PER_PARTITION = 5;
  private static final long EVENT_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private static KafkaBrokerInfo seenBeforeAll;

  @BeforeAll
  static void brokerIsInjectedIntoBeforeAll(KafkaBrokerInfo kafka) {
    seenBeforeAll = kafka;
  }

  /** What a record looks like on both sides of the broker. */
  record Seen(int partition, long offset, long timestamp, String key, String value) {}

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void recordsComeBackFromEveryPartitionWithTheirOwnTimestamps(KafkaBrokerInfo kafka)
      throws Exception {
    String topic = "events";
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    List<Seen> produced = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (int partition = 0; partition < PARTITIONS; partition++) {
        for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
          long timestamp = EVENT_TIME + partition * 60_000L + i * 1_000L;
          String key = "user-" + partition + "-" + i;
          String value = "{\"amount\":" + (partition * 10 + i) + "}";
          RecordMetadata sent =
              producer
                  .send(new ProducerRecord<>(topic, partition, timestamp, key, value))
                  .get(30, TimeUnit.SECONDS);
          produced.add(new Seen(sent.partition(), sent.offset(), timestamp, key, value));
        }
      }
    }

    List<Seen> consumed = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int partition = 0; partition < PARTITIONS; partition++) {
        partitions.add(new TopicPartition(topic, partition));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Instant deadline = Instant.now().plusSeconds(30);
      while (consumed.size() < produced.size() && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
          consumed.add(
              new Seen(
                  record.partition(),
                  record.offset(),
                  record.timestamp(),
                  record.key(),
                  record.value()));
        }
      }
    }

    consumed.sort(Comparator.comparingInt(Seen::partition).thenComparingLong(Seen::offset));
    assertThat(consumed).containsExactlyElementsOf(produced);
    assertThat(consumed).extracting(Seen::partition).containsOnly(0, 1, 2);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void startingFromTheSameDataDirectoryAgainReturnsTheRunningBroker(KafkaBrokerInfo kafka) {
    int port = Integer.parseInt(kafka.bootstrapServers().replaceAll(".*:", ""));
    // Another instance, as a second "parity kafka start" would create.
    LocalKafkaBroker again =
        new LocalKafkaBroker(BrokerConfig.defaults(kafka.dataDir()).withPort(port));

    BrokerStatus status = again.start();

    assertThat(status.running()).isTrue();
    assertThat(status.pid()).hasValue(kafka.pid());
    assertThat(status.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
    assertThat(status.message()).startsWith("already running");
    assertThat(again.status().message()).isEqualTo("running");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyWayOfReachingTheBrokerSeesTheSameOne(KafkaBrokerInfo kafka) {
    assertThat(seenBeforeAll).isEqualTo(kafka);
    assertThat(KafkaBrokerExtension.broker()).isEqualTo(kafka);
    assertThat(KafkaBrokerExtension.bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(kafka.logFile()).exists();
    assertThat(kafka.dataDir()).startsWith(Path.of(System.getProperty("user.dir"), "target"));
  }
}
