package io.parity.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates and resets Kafka topics for commands that own them (the demo's topics). */
final class Topics {
  private Topics() {}

  /** Deletes {@code topic} if it exists and creates it empty with {@code partitions}. */
  static void recreate(String bootstrapServers, String topic, int partitions) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (existing.contains(topic)) {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        // Deletion is asynchronous on the broker; creating too early fails with TopicExists.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("topic " + topic + " was not deleted within 30 s");
          }
          Thread.sleep(100);
        }
      }
      createWithRetry(admin, topic, partitions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot reset topic " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  private static void createWithRetry(Admin admin, String topic, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (int attempt = 1; ; attempt++) {
      try {
        admin
            // LogAppendTime: the record timestamp is when the broker received the record, the
            // ingestion time that places it in the feature processing order.
            .createTopics(
                List.of(
                    new NewTopic(topic, partitions, (short) 1)
                        .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
            .all()
            .get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        boolean stillDeleting =
            e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException;
        if (!stillDeleting || attempt >= 50) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
