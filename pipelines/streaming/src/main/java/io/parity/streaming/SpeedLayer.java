package io.parity.streaming;

import io.parity.events.FieldMapping;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.DeadLetterJson;
import io.parity.ingest.KafkaRange;
import io.parity.ingest.KafkaTopics;
import io.parity.ingest.ParseEvents;
import io.parity.ingest.ReadKafkaLive;
import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.CatalogOptions;
import io.parity.lakehouse.LakehouseTables;
import io.parity.lakehouse.ReadBronze;
import io.parity.privacy.CardTokenizer;
import io.parity.scoring.ModelMetadata;
import io.parity.scoring.ScorePayments;
import io.parity.scoring.Thresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The speed layer: live payments (and labels) from Kafka -> parse and validate (dead letters to a
 * topic, with their reason) -> card tokens -> the shared feature transform in streaming mode, its
 * state warmed up from bronze -> TensorFlow scores in micro-batches -> the scores topic, keyed by
 * event id. The computed feature rows go to a topic too, for {@code parity skew-check}.
 *
 * <p>Warm start: the job pins the current bronze snapshots, replays them through the same transform
 * (applied, never output), and starts each live partition right after the last offset of that topic
 * partition in bronze, so no record is both replayed and consumed, and none is skipped. Partitions
 * bronze holds nothing of start at their earliest offset.
 */
public final class SpeedLayer {
  private SpeedLayer() {}

  /** What a started job is doing: for its start-up banner and for tests. */
  public record Plan(
      String fingerprint,
      ModelMetadata model,
      boolean warmStart,
      ReadBronze.Snapshots bronze,
      Map<Integer, Long> paymentOffsets,
      Map<Integer, Long> labelOffsets) {}

  /**
   * Validates the options (spec, mappings, topics, thresholds, model: fails fast with what to fix)
   * and adds the job to {@code pipeline}.
   */
  public static Plan build(Pipeline pipeline, StreamOptions o) {
    FeatureSpec spec = SpecFile.load(existing(o.getSpec(), "--spec"));
    String fingerprint = SpecFingerprint.of(spec);
    FieldMapping mapping = FieldMapping.load(existing(o.getMapping(), "--mapping"));
    FieldMapping labelsMapping = null;
    if (o.getLabelsTopic() != null) {
      if (o.getLabelsMapping() == null) {
        throw new IllegalArgumentException("--labelsTopic needs --labelsMapping");
      }
      labelsMapping = FieldMapping.load(existing(o.getLabelsMapping(), "--labelsMapping"));
    }
    Thresholds thresholds = new Thresholds(o.getReviewThreshold(), o.getDeclineThreshold());
    if (o.getModelPollSeconds() < 1) {
      throw new IllegalArgumentException(
          "--modelPollSeconds must be at least 1, got " + o.getModelPollSeconds());
    }
    ScorePayments score =
        ScorePayments.with(Path.of(o.getModelDir()), spec, thresholds)
            .withPollInterval(Duration.ofSeconds(o.getModelPollSeconds()))
            .withMaxBatch(o.getMaxScoringBatch());
    // Refuses a missing, broken or other-spec model here, before anything runs.
    ModelMetadata model;
    try (var serving = score.open()) {
      model = serving.current();
    }

    String servers = o.getBootstrapServers();
    KafkaTopics.requireAppendTime(servers, o.getTopic());
    if (o.getLabelsTopic() != null) {
      KafkaTopics.requireAppendTime(servers, o.getLabelsTopic());
    }
    for (String out : new String[] {o.getScoresTopic(), o.getDeadLettersTopic()}) {
      KafkaTopics.ensure(servers, out, 1);
    }
    boolean featuresLog = o.getFeaturesTopic() != null && !o.getFeaturesTopic().isEmpty();
    if (featuresLog) {
      KafkaTopics.ensure(servers, o.getFeaturesTopic(), 1);
    }

    CatalogConfig catalog = CatalogOptions.catalog(o);
    CardTokenizer tokenizer = CatalogOptions.tokenizer(o.getTokenKeyFile());
    ReadBronze bronze = null;
    Map<Integer, Long> paymentOffsets = Map.of();
    Map<Integer, Long> labelOffsets = Map.of();
    ReadKafkaLive.Otherwise otherwise = ReadKafkaLive.Otherwise.LATEST;
    if (o.getWarmStart()) {
      var cat = catalog.open();
      LakehouseTables.ensure(cat, LakehouseTables.BRONZE_EVENTS);
      LakehouseTables.ensure(cat, LakehouseTables.BRONZE_LABELS);
      // Live card tokens must be bronze's, or live payments would not meet their history.
      LakehouseTables.requireCardTokenKey(cat, tokenizer.keyId());
      bronze = ReadBronze.current(catalog);
      paymentOffsets =
          ReadBronze.nextOffsets(
              cat, LakehouseTables.BRONZE_EVENTS, bronze.snapshots().events(), o.getTopic());
      if (o.getLabelsTopic() != null) {
        labelOffsets =
            ReadBronze.nextOffsets(
                cat,
                LakehouseTables.BRONZE_LABELS,
                bronze.snapshots().labels(),
                o.getLabelsTopic());
      }
      otherwise = ReadKafkaLive.Otherwise.EARLIEST;
      // Fails when bronze consumed more of a partition than it holds (a re-created topic).
      KafkaRange.current(servers, o.getTopic(), java.time.Duration.ofSeconds(30))
          .startingAt(paymentOffsets);
      if (o.getLabelsTopic() != null) {
        KafkaRange.current(servers, o.getLabelsTopic(), java.time.Duration.ofSeconds(30))
            .startingAt(labelOffsets);
      }
    }
    org.joda.time.Duration margin = org.joda.time.Duration.millis(o.getIdleMarginMillis());
    ReadKafkaLive payments =
        ReadKafkaLive.of(servers, o.getTopic(), paymentOffsets, otherwise).withIdleMargin(margin);
    ReadKafkaLive labels =
        o.getLabelsTopic() == null
            ? null
            : ReadKafkaLive.of(servers, o.getLabelsTopic(), labelOffsets, otherwise)
                .withIdleMargin(margin)
                // Labels apply D after arrival, so payments need not wait for them that long.
                .withTimestampShift(
                    org.joda.time.Duration.millis(spec.labelApplyDelay().toMillis()));

    StreamingFeatures.Result result =
        StreamingFeatures.apply(
            pipeline.begin(),
            payments,
            mapping,
            labels,
            labelsMapping,
            spec,
            tokenizer,
            bronze == null ? null : pipeline.begin().apply("ReadBronze", bronze));

    PCollectionList<DeadLetter> deadLetters =
        PCollectionList.of(result.payments().get(ParseEvents.DEAD_LETTERS));
    if (result.labels() != null) {
      deadLetters = deadLetters.and(result.labels().get(ParseEvents.DEAD_LETTERS));
    }
    deadLetters
        .apply("FlattenDeadLetters", Flatten.pCollections())
        .apply(
            "DeadLetterToJson",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    (DeadLetter d) ->
                        KV.of(
                            d.source() + ":" + d.partition() + ":" + d.offset(),
                            DeadLetterJson.toJson(d))))
        .apply("WriteDeadLetters", write(servers, o.getDeadLettersTopic()));

    // One element per scored batch: the batch's scores and feature rows share one flush.
    result
        .features()
        .apply("Score", score.inMicroBatches())
        .apply(
            "PublishScores",
            new PublishScores(
                servers,
                o.getScoresTopic(),
                featuresLog ? o.getFeaturesTopic() : null,
                fingerprint));
    return new Plan(
        fingerprint,
        model,
        o.getWarmStart(),
        bronze == null ? null : bronze.snapshots(),
        paymentOffsets,
        labelOffsets);
  }

  /**
   * Flink settings for low latency: return from run() (cancel the job to stop it), emit watermarks
   * every 20 ms (default 200), one-element bundles, and flush network buffers every 5 ms (default
   * 100) via a generated Flink configuration directory.
   *
   * <p>One-element bundles because Beam's Flink operators (2.70) do not forward a watermark that
   * arrives while a bundle is open, and the update they schedule after a time-based bundle end
   * loses the race against the next input record under steady load: measured at 1,000 payments/s,
   * each chained DoFn held the watermark back by 0.1-0.8 s and the entity stages fired ~450 ms late
   * (p99 1.6 s end to end). A bundle that ends by count re-emits the watermark at once. Scoring and
   * the Kafka sink batch by time instead ({@link ScorePayments#inMicroBatches()}, {@link
   * PublishScores}); timers that open a bundle are closed by the next element or after 10 ms.
   */
  public static List<String> flinkLowLatencyArgs() {
    try {
      Path conf = Files.createTempDirectory("parity-flink-conf");
      conf.toFile().deleteOnExit(); // deleted last: registrations run in reverse order
      Path file = conf.resolve("flink-conf.yaml");
      Files.writeString(
          file, "execution.buffer-timeout: 5 ms\nexecution.buffer-timeout.interval: 5 ms\n");
      file.toFile().deleteOnExit();
      return List.of(
          "--attachedMode=false",
          "--autoWatermarkInterval=20",
          "--maxBundleTimeMills=10",
          "--maxBundleSize=1",
          // Beam's Flink runner copies every Beam metric into Flink's at each bundle end: with
          // one-element bundles that was 19% of the job's CPU at 5,000/s. Nothing reads them.
          "--disableMetrics=true",
          "--flinkConfDir=" + conf);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write a Flink configuration directory", e);
    }
  }

  static PTransform<PCollection<KV<String, String>>, PDone> write(String servers, String topic) {
    return KafkaIO.<String, String>write()
        .withBootstrapServers(servers)
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class);
  }

  private static Path existing(String file, String option) {
    if (file == null) {
      throw new IllegalArgumentException(option + " is required");
    }
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(option + ": no such file: " + file);
    }
    return p;
  }
}
