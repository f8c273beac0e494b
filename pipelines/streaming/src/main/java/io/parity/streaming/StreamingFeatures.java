package io.parity.streaming;

import io.parity.events.FieldMapping;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.ComputeFeatures;
import io.parity.features.pipeline.FeatureRows;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.ingest.ParseEvents;
import io.parity.ingest.RawRecord;
import java.util.Objects;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The speed layer's feature path: payment and label records -> parse/validate -> the shared {@link
 * ComputeFeatures} in streaming mode (state + event-time timers). Sources and sinks are arguments
 * so tests run this exact composition on their own inputs.
 */
public final class StreamingFeatures {
  private StreamingFeatures() {}

  /** Parsed, validated and featurized payments; dead letters are in the returned tuple too. */
  public record Result(
      PCollection<FeaturedPayment> features, PCollectionTuple payments, PCollectionTuple labels) {}

  public static Result apply(
      PBegin begin,
      PTransform<PBegin, PCollection<RawRecord>> paymentRecords,
      FieldMapping paymentMapping,
      PTransform<PBegin, PCollection<RawRecord>> labelRecords,
      FieldMapping labelMapping,
      FeatureSpec spec) {
    Objects.requireNonNull(spec, "spec");
    PCollectionTuple payments =
        begin
            .apply("ReadPayments", paymentRecords)
            .apply("ParsePayments", ParseEvents.with(paymentMapping));
    PCollectionTuple labels =
        begin
            .apply("ReadLabels", labelRecords)
            .apply("ParseLabels", ParseEvents.with(labelMapping));
    PCollection<FeaturedPayment> features =
        PCollectionTuple.of(ParseEvents.PAYMENTS, payments.get(ParseEvents.PAYMENTS))
            .and(ParseEvents.LABELS, labels.get(ParseEvents.LABELS))
            .apply("ComputeFeatures", ComputeFeatures.of(spec).inStreamingMode());
    return new Result(features, payments, labels);
  }

  /** Writes feature rows (CSV: event_id, fingerprint, values) keyed by event id to a topic. */
  public static void writeRows(
      PCollection<FeaturedPayment> features,
      FeatureSpec spec,
      String bootstrapServers,
      String topic) {
    String fingerprint = SpecFingerprint.of(spec);
    features
        .apply(
            "ToRow",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    (FeaturedPayment f) ->
                        KV.of(f.payment().eventId(), FeatureRows.csv(fingerprint, f))))
        .apply(
            "WriteFeatureRows",
            KafkaIO.<String, String>write()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
  }
}
