package io.parity.batch;

import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.ComputeFeatures;
import io.parity.features.pipeline.FeatureRows;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.ingest.KafkaRange;
import io.parity.lakehouse.CatalogOptions;
import io.parity.lakehouse.ReadBronze;
import io.parity.metrics.Progress;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The skew check: for every event the streaming job featurized (its feature log topic), recompute
 * the features in batch from bronze with the same spec and compare value by value, bit for bit. The
 * events must be in bronze (ingest the live topics with {@code parity batch} first).
 */
public final class SkewCheck {
  private SkewCheck() {}

  /** One feature value that differs. */
  public record Mismatch(String eventId, String feature, String streaming, String batch) {}

  /**
   * The outcome.
   *
   * @param logged distinct events in the feature log
   * @param duplicates log records repeating an event (at-least-once delivery; equal rows are fine)
   * @param compared events found in both
   * @param missingInBatch logged events the batch recompute did not produce (not in bronze)
   * @param conflictingInLog events logged twice with different values
   * @param mismatchedEvents compared events with at least one differing value
   * @param mismatchedValues differing values in all
   * @param otherSpecs log rows of other spec fingerprints (skipped)
   * @param examples the first differing values
   */
  public record Report(
      String fingerprint,
      long logged,
      long otherSpecs,
      long duplicates,
      long compared,
      long missingInBatch,
      long conflictingInLog,
      long mismatchedEvents,
      long mismatchedValues,
      List<Mismatch> examples,
      List<String> missingExamples) {

    /** True when every logged event was recomputed and equal. */
    public boolean clean() {
      return logged > 0 && missingInBatch == 0 && conflictingInLog == 0 && mismatchedValues == 0;
    }
  }

  public static Report run(SkewCheckOptions options) {
    FeatureSpec spec = SpecFile.load(Path.of(options.getSpec()));
    String fingerprint = SpecFingerprint.of(spec);
    Log log = readLog(options.getBootstrapServers(), options.getFeaturesTopic(), fingerprint);

    Path out = Path.of(options.getOutput());
    Pipeline p = Pipeline.create(options);
    p.apply("ReadBronze", ReadBronze.current(CatalogOptions.catalog(options)))
        .apply("ComputeFeatures", ComputeFeatures.of(spec))
        .apply("KeepLogged", ParDo.of(new KeepLoggedFn(log.rows().keySet(), fingerprint)))
        .apply("WriteRows", TextIO.write().to(out.resolve("batch-rows").toString()));
    Progress.run(p, "parity.features", "batch recompute from bronze");

    Map<String, String> batch = new HashMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("batch-rows")).toList()) {
        for (String line : Files.readAllLines(f)) {
          batch.put(parse(line).get(0), line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the recomputed rows in " + out, e);
    }
    return compare(spec, fingerprint, log, batch, options.getMaxExamples());
  }

  /** The feature log: one row per event id, plus what repeated. */
  record Log(Map<String, String> rows, long duplicates, Set<String> conflicting, long otherSpecs) {}

  static Log readLog(String servers, String topic, String fingerprint) {
    KafkaRange range = KafkaRange.current(servers, topic, Duration.ofSeconds(30));
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, String> rows = new HashMap<>();
    Set<String> conflicting = new HashSet<>();
    long duplicates = 0;
    long otherSpecs = 0;
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      for (KafkaRange.PartitionRange pr : range.partitions()) {
        TopicPartition tp = new TopicPartition(topic, pr.partition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, pr.start());
        long next = pr.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (next < pr.end() && consumer.position(tp) < pr.end()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "reading " + tp + " stopped at offset " + next + " of " + pr.end());
          }
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.offset() >= pr.end()) {
              break;
            }
            next = r.offset() + 1;
            List<String> fields = parse(r.value());
            if (!fields.get(1).equals(fingerprint)) {
              otherSpecs++; // rows of an earlier or other spec: not this check's
              continue;
            }
            String previous = rows.putIfAbsent(fields.get(0), r.value());
            if (previous != null) {
              duplicates++;
              if (!previous.equals(r.value())) {
                conflicting.add(fields.get(0));
              }
            }
          }
        }
      }
    }
    if (rows.isEmpty() && otherSpecs > 0) {
      throw new IllegalArgumentException(
          "the feature log "
              + topic
              + " holds "
              + otherSpecs
              + " rows, none of spec "
              + fingerprint
              + ": pass the spec the streaming job ran");
    }
    return new Log(rows, duplicates, conflicting, otherSpecs);
  }

  static Report compare(
      FeatureSpec spec, String fingerprint, Log log, Map<String, String> batch, int maxExamples) {
    List<String> names = spec.featureNames();
    List<Mismatch> examples = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    long compared = 0;
    long missingCount = 0;
    long events = 0;
    long values = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(log.rows()).entrySet()) {
      String other = batch.get(e.getKey());
      if (other == null) {
        missingCount++;
        if (missing.size() < maxExamples) {
          missing.add(e.getKey());
        }
        continue;
      }
      compared++;
      List<String> s = parse(e.getValue());
      List<String> b = parse(other);
      boolean differs = false;
      for (int i = 0; i < names.size(); i++) {
        // Same bits <=> same text: FeatureRows writes Double.toString, a function of the bits.
        if (!s.get(i + 2).equals(b.get(i + 2))) {
          differs = true;
          values++;
          if (examples.size() < maxExamples) {
            examples.add(new Mismatch(e.getKey(), names.get(i), s.get(i + 2), b.get(i + 2)));
          }
        }
      }
      if (differs) {
        events++;
      }
    }
    return new Report(
        fingerprint,
        log.rows().size(),
        log.otherSpecs(),
        log.duplicates(),
        compared,
        missingCount,
        log.conflicting().size(),
        events,
        values,
        List.copyOf(examples),
        List.copyOf(missing));
  }

  static List<String> parse(String csvRow) {
    try {
      List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(csvRow)).getRecords();
      if (records.size() != 1 || records.get(0).size() < 2) {
        throw new IllegalArgumentException("not a feature row: " + csvRow);
      }
      return records.get(0).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the recomputed rows of the logged events, as feature-row text. */
  static final class KeepLoggedFn extends DoFn<FeaturedPayment, String> {
    private static final long serialVersionUID = 1L;
    private final HashSet<String> ids;
    private final String fingerprint;

    KeepLoggedFn(Set<String> ids, String fingerprint) {
      this.ids = new HashSet<>(ids);
      this.fingerprint = fingerprint;
    }

    @ProcessElement
    public void process(@Element FeaturedPayment f, OutputReceiver<String> out) {
      if (ids.contains(f.payment().eventId())) {
        out.output(FeatureRows.csv(fingerprint, f));
      }
    }
  }
}
