package io.parity.streaming;

import io.parity.coders.ParityCoders;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.ComputeFeatures;
import io.parity.features.pipeline.FeatureRows;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.ingest.Ingested;
import io.parity.ingest.ParseEvents;
import io.parity.ingest.RawRecord;
import io.parity.privacy.CardTokenizer;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The speed layer's feature path: payment and label records -> parse/validate -> the shared {@link
 * ComputeFeatures} in streaming mode (state + event-time timers). Sources and sinks are arguments
 * so tests run this exact composition on their own inputs.
 */
public final class StreamingFeatures {
  private StreamingFeatures() {}

  /**
   * Parsed, validated and featurized payments; dead letters are in the returned tuples too ({@code
   * labels} is null without a labels source).
   */
  public record Result(
      PCollection<FeaturedPayment> features, PCollectionTuple payments, PCollectionTuple labels) {}

  public static Result apply(
      PBegin begin,
      PTransform<PBegin, PCollection<RawRecord>> paymentRecords,
      FieldMapping paymentMapping,
      PTransform<PBegin, PCollection<RawRecord>> labelRecords,
      FieldMapping labelMapping,
      FeatureSpec spec) {
    return apply(
        begin, paymentRecords, paymentMapping, labelRecords, labelMapping, spec, null, null);
  }

  /**
   * The same, with card ids tokenized before featurization ({@code tokenizer}, as bronze holds
   * them) and the state warmed up by {@code history} (a {@link ParseEvents#PAYMENTS} / {@link
   * ParseEvents#LABELS} tuple, e.g. read from bronze: applied, never output). Labels are optional
   * ({@code labelRecords} null).
   */
  public static Result apply(
      PBegin begin,
      PTransform<PBegin, PCollection<RawRecord>> paymentRecords,
      FieldMapping paymentMapping,
      PTransform<PBegin, PCollection<RawRecord>> labelRecords,
      FieldMapping labelMapping,
      FeatureSpec spec,
      CardTokenizer tokenizer,
      PCollectionTuple history) {
    Objects.requireNonNull(spec, "spec");
    PCollectionTuple payments =
        begin
            .apply("ReadPayments", paymentRecords)
            .apply("ParsePayments", ParseEvents.with(paymentMapping));
    PCollection<Ingested<PaymentEvent>> live = payments.get(ParseEvents.PAYMENTS);
    if (tokenizer != null) {
      live =
          live.apply("TokenizeCards", ParDo.of(new TokenizeFn(tokenizer)))
              .setCoder(ParityCoders.IngestedCoder.of(ParityCoders.PaymentEventCoder.of()));
    }
    PCollectionTuple labels = null;
    PCollectionList<Ingested<LabelEvent>> allLabels = PCollectionList.empty(begin.getPipeline());
    if (labelRecords != null) {
      labels =
          begin
              .apply("ReadLabels", labelRecords)
              .apply("ParseLabels", ParseEvents.with(labelMapping));
      allLabels = allLabels.and(labels.get(ParseEvents.LABELS));
    }
    PCollectionTuple input = PCollectionTuple.of(ParseEvents.PAYMENTS, live);
    if (history != null) {
      input = input.and(ComputeFeatures.HISTORY, history.get(ParseEvents.PAYMENTS));
      allLabels = allLabels.and(history.get(ParseEvents.LABELS));
    }
    if (allLabels.size() == 1) {
      input = input.and(ParseEvents.LABELS, allLabels.get(0));
    } else if (allLabels.size() > 1) {
      input =
          input.and(
              ParseEvents.LABELS,
              allLabels
                  .apply("FlattenLabels", Flatten.pCollections())
                  .setCoder(ParityCoders.IngestedCoder.of(ParityCoders.LabelEventCoder.of())));
    }
    PCollection<FeaturedPayment> features =
        input.apply("ComputeFeatures", ComputeFeatures.of(spec).inStreamingMode());
    return new Result(features, payments, labels);
  }

  /** Replaces each payment's card id by its token (bronze's form), keeping its ingestion data. */
  static final class TokenizeFn extends DoFn<Ingested<PaymentEvent>, Ingested<PaymentEvent>> {
    private static final long serialVersionUID = 1L;
    private final CardTokenizer tokenizer;

    TokenizeFn(CardTokenizer tokenizer) {
      this.tokenizer = tokenizer;
    }

    @ProcessElement
    public void process(
        @Element Ingested<PaymentEvent> in, OutputReceiver<Ingested<PaymentEvent>> out) {
      PaymentEvent tokenized = tokenizer.tokenize(in.value());
      out.output(
          new Ingested<>(
              tokenized, in.source(), in.partition(), in.offset(), in.ingestTimeMillis()));
    }
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
        .apply("WriteFeatureRows", SpeedLayer.write(bootstrapServers, topic));
  }
}
