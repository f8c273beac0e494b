package io.parity.cli;

import io.parity.scoring.ScoredPayment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a speed-layer run wrote: its scores (by event id) and dead letters, read back. */
record LiveResults(
    Map<String, ScoredPayment> scores,
    long deliveries,
    long deadLetters,
    long expectedScores,
    long expectedDeadLetters) {

  /** Reads both topics from the start until the expected counts are there or the time is up. */
  static LiveResults await(
      String bootstrap,
      String scoresTopic,
      String deadLettersTopic,
      long expectedScores,
      long expectedDeadLetters,
      Duration timeout) {
    Map<String, ScoredPayment> scores = new HashMap<>();
    long[] deliveries = {0};
    long[] dead = {0};
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (String topic : List.of(scoresTopic, deadLettersTopic)) {
        consumer
            .partitionsFor(topic)
            .forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long deadline = System.nanoTime() + timeout.toNanos();
      while ((scores.size() < expectedScores || dead[0] < expectedDeadLetters)
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(scoresTopic)) {
            ScoredPayment s = ScoredPayment.fromJson(r.value());
            scores.put(s.eventId(), s);
            deliveries[0]++;
          } else {
            dead[0]++;
          }
        }
      }
    }
    return new LiveResults(scores, deliveries[0], dead[0], expectedScores, expectedDeadLetters);
  }

  boolean complete() {
    return scores.size() == expectedScores && deadLetters == expectedDeadLetters;
  }

  String describe() {
    Map<String, Integer> decisions = new TreeMap<>();
    Map<Integer, Integer> versions = new TreeMap<>();
    long[] inJob = new long[scores.size()];
    int i = 0;
    for (ScoredPayment s : scores.values()) {
      decisions.merge(s.decision(), 1, Integer::sum);
      versions.merge(s.modelVersion(), 1, Integer::sum);
      inJob[i++] = s.scoredAt() - s.featuresAsOf();
    }
    Arrays.sort(inJob);
    StringBuilder b =
        new StringBuilder()
            .append(scores.size())
            .append(" of ")
            .append(expectedScores)
            .append(" live payments scored ")
            .append(decisions)
            .append(" by model versions ")
            .append(versions)
            .append("; ")
            .append(deadLetters)
            .append(" of ")
            .append(expectedDeadLetters)
            .append(" malformed records in the dead-letter topic");
    if (deliveries > scores.size()) {
      b.append("; ").append(deliveries - scores.size()).append(" repeated deliveries");
    }
    if (inJob.length > 0) {
      b.append(
          String.format(
              "%n    features as of (the later of event time and arrival) -> scored, in the job:"
                  + " p50 %d ms, p99 %d ms"
                  + " (includes waiting for the warm-start replay)",
              LatencyBench.Summary.percentile(inJob, 50),
              LatencyBench.Summary.percentile(inJob, 99)));
    }
    if (!complete()) {
      b.append(String.format("%n    INCOMPLETE: not every live record was accounted for in time"));
    }
    return b.toString();
  }
}
