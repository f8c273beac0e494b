package io.parity.ingest;

import io.parity.coders.ParityCoders;
import io.parity.events.EventParser;
import io.parity.events.FieldMapping;
import io.parity.events.LabelEvent;
import io.parity.events.ParseResult;
import io.parity.events.PaymentEvent;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Decodes and validates raw records into payments and labels, with every rejected record routed to
 * {@link #DEAD_LETTERS} with its payload, position and reason. For every input record exactly one
 * of these happens: a payment (possibly with an inline label), a label, or a dead letter; the
 * counters {@code records_in = payments + labels_only + dead_letters} prove it.
 */
public final class ParseEvents extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** The metrics namespace of the ingestion counters. */
  public static final String METRICS_NAMESPACE = "parity.ingest";

  public static final TupleTag<Ingested<PaymentEvent>> PAYMENTS = new TupleTag<>() {};
  public static final TupleTag<Ingested<LabelEvent>> LABELS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final FieldMapping mapping;
  private final boolean keepPayloads;

  private ParseEvents(FieldMapping mapping, boolean keepPayloads) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.keepPayloads = keepPayloads;
  }

  /** Parses records described by {@code mapping}. */
  public static ParseEvents with(FieldMapping mapping) {
    return new ParseEvents(mapping, false);
  }

  /** Also keeps each event's raw payload (for the bronze table). */
  public ParseEvents keepingPayloads() {
    return new ParseEvents(mapping, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> input) {
    PCollectionTuple out =
        input.apply(
            "DecodeAndValidate",
            ParDo.of(new ParseFn(mapping, keepPayloads))
                .withOutputTags(PAYMENTS, TupleTagList.of(LABELS).and(DEAD_LETTERS)));
    out.get(PAYMENTS).setCoder(ParityCoders.IngestedCoder.of(ParityCoders.PaymentEventCoder.of()));
    out.get(LABELS).setCoder(ParityCoders.IngestedCoder.of(ParityCoders.LabelEventCoder.of()));
    out.get(DEAD_LETTERS).setCoder(ParityCoders.DeadLetterCoder.of());
    return out;
  }

  static final class ParseFn extends DoFn<RawRecord, Ingested<PaymentEvent>> {
    private static final long serialVersionUID = 1L;

    private final FieldMapping mapping;
    private final EventParser parser;
    private final Counter recordsIn = Metrics.counter(METRICS_NAMESPACE, "records_in");
    private final Counter payments = Metrics.counter(METRICS_NAMESPACE, "payments");
    private final Counter labels = Metrics.counter(METRICS_NAMESPACE, "labels");
    private final Counter inlineLabels = Metrics.counter(METRICS_NAMESPACE, "inline_labels");
    private final Counter malformed = Metrics.counter(METRICS_NAMESPACE, "dead_letters_decode");
    private final Counter invalid = Metrics.counter(METRICS_NAMESPACE, "dead_letters_validate");
    private final boolean keepPayloads;
    private transient RecordDecoder decoder;

    ParseFn(FieldMapping mapping, boolean keepPayloads) {
      this.mapping = mapping;
      this.parser = new EventParser(mapping);
      this.keepPayloads = keepPayloads;
    }

    private <T> Ingested<T> ingested(T value, RawRecord raw) {
      return keepPayloads ? Ingested.withPayload(value, raw) : Ingested.of(value, raw);
    }

    @Setup
    public void setup() {
      decoder = new RecordDecoder(mapping);
    }

    @ProcessElement
    public void process(@Element RawRecord raw, MultiOutputReceiver out) {
      recordsIn.inc();
      Map<String, Object> row;
      try {
        row = decoder.decode(raw);
      } catch (RecordDecoder.MalformedRecordException e) {
        malformed.inc();
        out.get(DEAD_LETTERS).output(DeadLetter.of(raw, "decode", e.getMessage()));
        return;
      }
      ParseResult result = parser.parse(row);
      if (!result.isValid()) {
        invalid.inc();
        out.get(DEAD_LETTERS).output(DeadLetter.of(raw, "validate", result.error()));
      } else if (result.payment() != null) {
        payments.inc();
        out.get(PAYMENTS).output(ingested(result.payment(), raw));
        if (result.label() != null) {
          inlineLabels.inc();
          out.get(LABELS).output(ingested(result.label(), raw));
        }
      } else {
        labels.inc();
        out.get(LABELS).output(ingested(result.label(), raw));
      }
    }
  }
}
