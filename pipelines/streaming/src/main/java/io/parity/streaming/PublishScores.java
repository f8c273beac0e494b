package io.parity.streaming;

import io.parity.features.pipeline.FeatureRows;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.scoring.ScorePayments.ScoredBatch;
import io.parity.scoring.ScoredPayment;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes scored batches to Kafka: each score to the scores topic and, when asked, each payment's
 * feature row to the feature-log topic, keyed by event id, with one producer flush per bundle.
 *
 * <p>Why not {@code KafkaIO.write()}: its writer flushes once per bundle <em>per element
 * stream</em> it is given; the speed layer on Flink runs one-element bundles (so watermarks move at
 * once), and a flush per score and per feature row would cap the job at a few thousand payments/s.
 * Here a bundle is a whole scored batch and both topics share the flush. At-least-once is the same
 * as {@code KafkaIO}'s: a bundle finishes only once every record in it is acknowledged, so a
 * checkpoint never covers a record that could still be lost.
 */
final class PublishScores extends PTransform<PCollection<ScoredBatch>, PDone> {
  private static final long serialVersionUID = 1L;
  private final String bootstrapServers;
  private final String scoresTopic;
  private final String featuresTopic;
  private final String fingerprint;

  /**
   * @param featuresTopic the feature-log topic, or null for none
   * @param fingerprint the spec fingerprint written in feature rows
   */
  PublishScores(
      String bootstrapServers, String scoresTopic, String featuresTopic, String fingerprint) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.scoresTopic = Objects.requireNonNull(scoresTopic, "scoresTopic");
    this.featuresTopic = featuresTopic;
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  @Override
  public PDone expand(PCollection<ScoredBatch> input) {
    input.apply("Publish", ParDo.of(new PublishFn(this)));
    return PDone.in(input.getPipeline());
  }

  static final class PublishFn extends DoFn<ScoredBatch, Void> {
    private static final long serialVersionUID = 1L;
    private final PublishScores config;
    private final Counter published = Metrics.counter("parity.streaming", "scores_published");
    private transient KafkaProducer<String, String> producer;
    private transient AtomicReference<Exception> failure;

    PublishFn(PublishScores config) {
      this.config = config;
    }

    @Setup
    public void setup() {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "parity-scores");
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
      failure = new AtomicReference<>();
    }

    @ProcessElement
    public void process(@Element ScoredBatch batch) throws IOException {
      throwIfFailed();
      List<FeaturedPayment> payments = batch.payments();
      List<ScoredPayment> scores = batch.scores();
      for (int i = 0; i < scores.size(); i++) {
        ScoredPayment s = scores.get(i);
        send(config.scoresTopic, s.eventId(), s.toJson());
        if (config.featuresTopic != null) {
          send(
              config.featuresTopic,
              s.eventId(),
              FeatureRows.csv(config.fingerprint, payments.get(i)));
        }
      }
      published.inc(scores.size());
    }

    private void send(String topic, String key, String value) {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
    }

    @FinishBundle
    public void finishBundle() throws IOException {
      producer.flush(); // every record of the bundle is acknowledged (or failed) after this
      throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
      Exception e = failure.get();
      if (e != null) {
        throw new IOException("cannot write to Kafka: " + e.getMessage(), e);
      }
    }

    @Teardown
    public void teardown() {
      if (producer != null) {
        producer.close();
        producer = null;
      }
    }
  }
}
