package io.parity.ingest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/** Checks and creates the topics a streaming job reads and writes, before it starts. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** The topic config that makes a record's timestamp its arrival at the broker. */
  public static final Map<String, String> APPEND_TIME =
      Map.of("message.timestamp.type", "LogAppendTime");

  /**
   * Fails with a message saying what to fix unless {@code topic} exists and stamps records with the
   * broker's append time (the ingestion time the feature processing order is built on).
   */
  public static void requireAppendTime(String bootstrapServers, String topic) {
    try (Admin admin = admin(bootstrapServers)) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        throw new IllegalArgumentException(
            "Kafka topic '"
                + topic
                + "' does not exist on "
                + bootstrapServers
                + "; create it with message.timestamp.type=LogAppendTime");
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      String type = config.get("message.timestamp.type").value();
      if (!"LogAppendTime".equals(type)) {
        throw new IllegalArgumentException(
            "Kafka topic '"
                + topic
                + "' has message.timestamp.type="
                + type
                + "; the speed layer needs LogAppendTime (the broker's arrival time orders"
                + " features). Fix: kafka-configs --alter --entity-type topics --entity-name "
                + topic
                + " --add-config message.timestamp.type=LogAppendTime");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot check topic " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  /** Creates {@code topic} (LogAppendTime) with {@code partitions} unless it exists. */
  public static void ensure(String bootstrapServers, String topic, int partitions) {
    try (Admin admin = admin(bootstrapServers)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (existing.contains(topic)) {
        return;
      }
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(APPEND_TIME)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) { // created meanwhile: fine
        throw new IllegalStateException(
            "cannot create topic " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach " + bootstrapServers + " to create topic " + topic, e);
    }
  }

  /** An admin client with a 30 s API timeout; the caller closes it. */
  public static Admin admin(String bootstrapServers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }
}
