package io.parity.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.PaymentEvent;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.DeadLetterJson;
import io.parity.kafka.KafkaBrokerExtension;
import io.parity.kafka.KafkaBrokerInfo;
import io.parity.testdata.JsonLinesCodec;
import io.parity.testdata.PaymentGenerator;
import io.parity.testdata.PaymentGeneratorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first end-to-end slice through a real broker: generated payments and bad records -> Kafka (3
 * partitions) -> KafkaIO -> parse/validate -> counts + dead letters, on Direct and on Flink.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class IngestKafkaSliceTest {
  private static final String TOPIC = "payments-slice";
  private static final String MAPPING =
      """
      kind: payments
      format: jsonl
      fields:
        event_id: event_id
        event_time: event_time
        card_id: card_id
        merchant_id: merchant_id
        amount: amount
        currency: currency
        merchant_category: merchant_category
        latitude: latitude
        longitude: longitude
        channel: channel
      """;

  /** One record of each kind of bad input, with a part of the reason it must carry. */
  private static final Map<String, String> BAD = new LinkedHashMap<>();

  static {
    String ok = "\"event_time\":\"2026-01-05T10:00:00Z\",\"card_id\":\"c\",\"merchant_id\":\"m\"";
    BAD.put("{\"event_id\":\"bad-1\",", "malformed JSON");
    BAD.put(
        "{\"event_id\":\"bad-2\",\"event_time\":\"2026-01-05T10:00:00Z\",\"merchant_id\":\"m\","
            + "\"amount\":1}",
        "card_id (column 'card_id'): missing");
    BAD.put(
        "{\"event_id\":\"bad-3\",\"event_time\":\"last tuesday\",\"card_id\":\"c\","
            + "\"merchant_id\":\"m\",\"amount\":1}",
        "'last tuesday' is not an ISO-8601 timestamp");
    BAD.put("{\"event_id\":\"bad-4\"," + ok + ",\"amount\":-5}", "-5 is negative");
    BAD.put("{\"event_id\":\"bad-5\"," + ok + ",\"amount\":\"NaN\"}", "NaN is not a finite number");
    BAD.put(
        "{\"event_id\":\"bad-6\"," + ok + ",\"amount\":5,\"currency\":\"ABC\"}",
        "'ABC' is not an ISO-4217 currency code");
    BAD.put(
        "{\"event_id\":\"bad-7\"," + ok + ",\"amount\":true}",
        "expected a number, got boolean true");
    BAD.put("", "malformed JSON: empty record");
  }

  private List<PaymentEvent> valid;
  private String bootstrap;
  private Path mapping;

  @BeforeAll
  void produce(KafkaBrokerInfo broker, @TempDir Path dir) throws Exception {
    bootstrap = broker.bootstrapServers();
    mapping = Files.writeString(dir.resolve("mapping.yaml"), MAPPING);
    PaymentGeneratorConfig config =
        PaymentGeneratorConfig.defaults().withSeed(7).withDays(2).withCards(150).withMerchants(60);
    valid = new ArrayList<>();
    PaymentGenerator.create(config).payments().forEachRemaining(g -> valid.add(g.event()));
    assertThat(valid).hasSizeGreaterThan(300);

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (PaymentEvent e : valid) {
        producer.send(
            new ProducerRecord<>(
                TOPIC, null, e.eventTimeMillis(), e.cardId(), JsonLinesCodec.toJson(e)));
      }
      int partition = 0;
      for (String payload : BAD.keySet()) {
        // Spread bad records over every partition on purpose.
        producer.send(new ProducerRecord<>(TOPIC, partition++ % 3, "bad", payload));
      }
      producer.flush();
    }
  }

  private IngestJob.Summary run(Path out, String... runnerArgs) {
    List<String> args = new ArrayList<>(List.of(runnerArgs));
    args.add("--topic=" + TOPIC);
    args.add("--bootstrapServers=" + bootstrap);
    args.add("--mapping=" + mapping);
    args.add("--output=" + out);
    args.add("--maxReadSeconds=120");
    return IngestJob.run(
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(IngestOptions.class));
  }

  @Test
  void directAndFlinkAccountForEveryRecordAndAgree(@TempDir Path dir) throws IOException {
    Path directOut = dir.resolve("direct");
    Path flinkOut = dir.resolve("flink");
    IngestJob.Summary direct = run(directOut, "--runner=DirectRunner");
    IngestJob.Summary flink =
        run(flinkOut, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

    long total = valid.size() + BAD.size();
    for (IngestJob.Summary s : List.of(direct, flink)) {
      assertThat(s.expectedRecords()).isEqualTo(total);
      assertThat(s.recordsIn()).isEqualTo(total);
      assertThat(s.payments()).isEqualTo(valid.size());
      assertThat(s.deadLetters()).isEqualTo(BAD.size());
      assertThat(s.payments() + s.labelsOnly() + s.deadLetters()).isEqualTo(s.recordsIn());
    }

    Map<String, Long> expectedPerDay =
        valid.stream()
            .collect(
                Collectors.groupingBy(
                    e ->
                        Instant.ofEpochMilli(e.eventTimeMillis())
                            .atZone(ZoneOffset.UTC)
                            .toLocalDate()
                            .toString(),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(perDay(directOut)).isEqualTo(expectedPerDay);
    assertThat(perDay(flinkOut)).isEqualTo(expectedPerDay);

    List<DeadLetter> directDead = deadLetters(directOut);
    assertThat(deadLetters(flinkOut)).containsExactlyInAnyOrderElementsOf(directDead);
    Map<String, String> reasonByPayload =
        directDead.stream().collect(Collectors.toMap(DeadLetter::payload, DeadLetter::reason));
    assertThat(reasonByPayload.keySet()).containsExactlyInAnyOrderElementsOf(BAD.keySet());
    BAD.forEach((payload, reason) -> assertThat(reasonByPayload.get(payload)).contains(reason));
    assertThat(directDead)
        .allSatisfy(
            d -> {
              assertThat(d.source()).isEqualTo("kafka:" + TOPIC);
              assertThat(d.partition()).isBetween(0, 2);
            });
    assertThat(directDead.stream().map(DeadLetter::partition).distinct()).hasSize(3);
  }

  private static Map<String, Long> perDay(Path out) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : lines(out, "payments-per-day")) {
      String[] kv = line.split(",");
      counts.put(kv[0], Long.parseLong(kv[1]));
    }
    return counts;
  }

  private static List<DeadLetter> deadLetters(Path out) throws IOException {
    return lines(out, "dead-letters").stream().map(DeadLetterJson::fromJson).toList();
  }

  private static List<String> lines(Path out, String prefix) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }
}
