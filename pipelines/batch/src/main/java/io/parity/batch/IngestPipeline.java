package io.parity.batch;

import io.parity.events.FieldMapping;
import io.parity.events.PaymentEvent;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.DeadLetterJson;
import io.parity.ingest.Ingested;
import io.parity.ingest.ParseEvents;
import io.parity.ingest.RawRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The ingestion slice: raw records -> parse and validate -> payments per day and dead letters. It
 * takes its source as an argument so tests run the real composition on their own inputs.
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  /**
   * Applies the slice to {@code source}; writes {@code <output>/dead-letters-*.jsonl} and {@code
   * <output>/payments-per-day-*.csv} ({@code yyyy-MM-dd,count}, UTC days).
   */
  public static PCollectionTuple apply(
      PBegin begin,
      PTransform<PBegin, PCollection<RawRecord>> source,
      FieldMapping mapping,
      String output) {
    PCollectionTuple parsed =
        begin.apply("ReadRecords", source).apply("ParseEvents", ParseEvents.with(mapping));
    parsed.get(ParseEvents.DEAD_LETTERS).apply("WriteDeadLetters", new WriteDeadLetters(output));
    parsed
        .get(ParseEvents.PAYMENTS)
        .apply(
            "EventDay",
            MapElements.into(TypeDescriptors.strings())
                .via((Ingested<PaymentEvent> e) -> utcDay(e.value().eventTimeMillis())))
        .apply("CountPerDay", Count.perElement())
        .apply(
            "FormatCount",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<String, Long> kv) -> kv.getKey() + "," + kv.getValue()))
        .apply(
            "WriteCounts",
            TextIO.write().to(output + "/payments-per-day").withSuffix(".csv").withNumShards(1));
    return parsed;
  }

  static String utcDay(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** Writes dead letters as JSON lines; an empty collection still writes an empty file. */
  static final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String output;

    WriteDeadLetters(String output) {
      this.output = output;
    }

    @Override
    public PDone expand(PCollection<DeadLetter> input) {
      return input
          .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(DeadLetterJson::toJson))
          .apply(
              "WriteJsonLines",
              TextIO.write().to(output + "/dead-letters").withSuffix(".jsonl").withNumShards(1));
    }
  }
}
