package io.parity.cli;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.testdata.BadRecords;
import io.parity.testdata.GeneratedPayment;
import io.parity.testdata.GenerationSummary;
import io.parity.testdata.KafkaPaymentProducer;
import io.parity.testdata.OutputFormat;
import io.parity.testdata.PaymentFiles;
import io.parity.testdata.PaymentGenerator;
import io.parity.testdata.PaymentGeneratorConfig;
import io.parity.testdata.PaymentSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parity generate}: deterministic demo payments with injected fraud and late labels. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates realistic card payments (with injected fraud) and late labels, to files or to"
          + " Kafka (record timestamp = event time). The same seed gives the same data."
    })
final class GenerateCommand implements Callable<Integer> {

  static final class Target {
    @Option(names = "--out", required = true, description = "directory for payments and labels")
    Path out;

    @Option(names = "--topic", required = true, description = "Kafka topic for payments")
    String topic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  /** Generator knobs shared with the demo. */
  static final class Knobs {
    @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
        names = "--start",
        defaultValue = "2026-01-05T00:00:00Z",
        description = "first day (ISO-8601 instant), default: ${DEFAULT-VALUE}")
    Instant start;

    @Option(names = "--days", defaultValue = "7", description = "default: ${DEFAULT-VALUE}")
    int days;

    @Option(names = "--cards", defaultValue = "1000", description = "default: ${DEFAULT-VALUE}")
    int cards;

    @Option(names = "--merchants", defaultValue = "300", description = "default: ${DEFAULT-VALUE}")
    int merchants;

    PaymentGeneratorConfig config() {
      return PaymentGeneratorConfig.defaults()
          .withSeed(seed)
          .withStart(start)
          .withDays(days)
          .withCards(cards)
          .withMerchants(merchants);
    }
  }

  @Mixin Knobs knobs = new Knobs();

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      description = "file format with --out: jsonl or csv (default: ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--labels-topic",
      description = "Kafka topic for labels (with --topic; default: <topic>-labels)")
  String labelsTopic;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "default: ${DEFAULT-VALUE}")
  String bootstrapServers;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "events per second to Kafka; 0 = as fast as possible (default)")
  double rate;

  @Option(
      names = "--bad-records",
      defaultValue = "0",
      description = "also send this many malformed records to the topic (dead-letter demo)")
  int badRecords;

  @Override
  public Integer call() throws IOException {
    PaymentGenerator generator = PaymentGenerator.create(knobs.config());
    if (target.out != null) {
      OutputFormat fmt = outputFormat(format);
      Files.createDirectories(target.out);
      Path events = target.out.resolve("payments." + fmt.extension());
      Path labels = target.out.resolve("labels." + fmt.extension());
      GenerationSummary s =
          PaymentFiles.write(
              generator, fmt, events, labels, target.out.resolve("ground-truth.csv"));
      System.out.printf(
          "wrote %d payments (%d fraud, %.2f%%) to %s and %d labels to %s%n",
          s.events(), s.fraudEvents(), 100 * s.fraudRate(), events, s.labels(), labels);
    } else {
      String labels = labelsTopic != null ? labelsTopic : target.topic + "-labels";
      Produced p = produce(generator, bootstrapServers, target.topic, labels, rate, badRecords);
      System.out.printf(
          "produced %d payments + %d malformed records to %s and %d labels to %s%n",
          p.events(), p.badRecords(), target.topic, p.labels(), labels);
    }
    return 0;
  }

  /** What was sent to Kafka. */
  record Produced(long events, long labels, long badRecords) {}

  static OutputFormat outputFormat(String name) {
    for (OutputFormat f : OutputFormat.values()) {
      if (f.extension().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("--format must be jsonl or csv, got '" + name + "'");
  }

  static Produced produce(
      PaymentGenerator generator,
      String bootstrapServers,
      String topic,
      String labelsTopic,
      double rate,
      int badRecords)
      throws IOException {
    return produce(generator, bootstrapServers, topic, labelsTopic, rate, badRecords, e -> true);
  }

  /**
   * Produces the generated payments that {@code which} accepts and the labels of those payments
   * (then {@code badRecords} malformed ones).
   */
  static Produced produce(
      PaymentGenerator generator,
      String bootstrapServers,
      String topic,
      String labelsTopic,
      double rate,
      int badRecords,
      java.util.function.Predicate<PaymentEvent> which)
      throws IOException {
    KafkaPaymentProducer producer = KafkaPaymentProducer.to(bootstrapServers).withRate(rate);
    java.util.Set<String> kept = new java.util.HashSet<>();
    Iterator<PaymentEvent> events =
        java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(generator.payments(), 0), false)
            .map(GeneratedPayment::event)
            .filter(which)
            .peek(e -> kept.add(e.eventId()))
            .iterator();
    List<LabelEvent> labels = new ArrayList<>();
    try {
      long sent = producer.sendEvents(topic, events);
      // Labels are a small share of events; collect them in one pass of the generator.
      generator.generate(
          new PaymentSink() {
            @Override
            public void acceptPayment(GeneratedPayment payment) {}

            @Override
            public void acceptLabel(LabelEvent label) {
              if (kept.contains(label.eventId())) {
                labels.add(label);
              }
            }
          });
      long sentLabels = producer.sendLabels(labelsTopic, labels.iterator());
      long bad = sendRaw(bootstrapServers, topic, BadRecords.first(badRecords));
      return new Produced(sent, sentLabels, bad);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing to " + topic, e);
    }
  }

  /** Sends malformed records round-robin over the topic's partitions. */
  private static long sendRaw(
      String bootstrapServers, String topic, List<BadRecords.BadRecord> bad) {
    if (bad.isEmpty()) {
      return 0;
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      int partitions = producer.partitionsFor(topic).size();
      for (int i = 0; i < bad.size(); i++) {
        producer
            .send(new ProducerRecord<>(topic, i % partitions, "bad", bad.get(i).payload()))
            .get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot send malformed records to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing to " + topic, e);
    }
    return bad.size();
  }
}
