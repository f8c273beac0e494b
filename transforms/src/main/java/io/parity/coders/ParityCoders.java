package io.parity.coders;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.Ingested;
import io.parity.ingest.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact, deterministic coders for Parity's value types. The feature library has no Beam
 * dependency, so its types get their coders here; {@link ParityCoderProviderRegistrar} makes every
 * pipeline find them without registration.
 */
public final class ParityCoders {
  private ParityCoders() {}

  static final Coder<String> STRING = StringUtf8Coder.of();
  static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  static final Coder<Double> NULLABLE_DOUBLE = NullableCoder.of(DoubleCoder.of());
  static final Coder<Long> LONG = VarLongCoder.of();
  static final Coder<Integer> INT = VarIntCoder.of();
  static final Coder<Double> DOUBLE = DoubleCoder.of();
  // Fixed width: ingest times may be Long.MIN_VALUE (unknown), which VarLong would spend 10 bytes
  // on.
  static final Coder<Long> BIG_ENDIAN_LONG = org.apache.beam.sdk.coders.BigEndianLongCoder.of();
  static final Coder<List<String>> NULLABLE_HEADER =
      NullableCoder.of(ListCoder.of(StringUtf8Coder.of()));

  /** Coder for {@link PaymentEvent}. */
  public static final class PaymentEventCoder extends CustomCoder<PaymentEvent> {
    private static final long serialVersionUID = 1L;
    private static final PaymentEventCoder INSTANCE = new PaymentEventCoder();

    public static PaymentEventCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PaymentEvent e, OutputStream out) throws IOException {
      STRING.encode(e.eventId(), out);
      LONG.encode(e.eventTimeMillis(), out);
      STRING.encode(e.cardId(), out);
      STRING.encode(e.merchantId(), out);
      DOUBLE.encode(e.amount(), out);
      STRING.encode(e.currency(), out);
      NULLABLE_STRING.encode(e.merchantCategory(), out);
      NULLABLE_DOUBLE.encode(e.latitude(), out);
      NULLABLE_DOUBLE.encode(e.longitude(), out);
      NULLABLE_STRING.encode(e.channel(), out);
    }

    @Override
    public PaymentEvent decode(InputStream in) throws IOException {
      return new PaymentEvent(
          STRING.decode(in),
          LONG.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          DOUBLE.decode(in),
          STRING.decode(in),
          NULLABLE_STRING.decode(in),
          NULLABLE_DOUBLE.decode(in),
          NULLABLE_DOUBLE.decode(in),
          NULLABLE_STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {
      // Every component is encoded deterministically (doubles by their IEEE-754 bits).
    }
  }

  /** Coder for {@link LabelEvent}. */
  public static final class LabelEventCoder extends CustomCoder<LabelEvent> {
    private static final long serialVersionUID = 1L;
    private static final LabelEventCoder INSTANCE = new LabelEventCoder();

    public static LabelEventCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LabelEvent e, OutputStream out) throws IOException {
      STRING.encode(e.eventId(), out);
      BooleanCoder.of().encode(e.fraud(), out);
      LONG.encode(e.labelTimeMillis(), out);
    }

    @Override
    public LabelEvent decode(InputStream in) throws IOException {
      return new LabelEvent(STRING.decode(in), BooleanCoder.of().decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder for {@link RawRecord}. */
  public static final class RawRecordCoder extends CustomCoder<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final RawRecordCoder INSTANCE = new RawRecordCoder();

    public static RawRecordCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RawRecord r, OutputStream out) throws IOException {
      STRING.encode(r.source(), out);
      INT.encode(r.partition(), out);
      LONG.encode(r.offset(), out);
      STRING.encode(r.payload(), out);
      NULLABLE_HEADER.encode(r.header(), out);
      BIG_ENDIAN_LONG.encode(r.ingestTimeMillis(), out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return new RawRecord(
          STRING.decode(in),
          INT.decode(in),
          LONG.decode(in),
          STRING.decode(in),
          NULLABLE_HEADER.decode(in),
          BIG_ENDIAN_LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder for {@link DeadLetter}. */
  public static final class DeadLetterCoder extends CustomCoder<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

    public static DeadLetterCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DeadLetter d, OutputStream out) throws IOException {
      STRING.encode(d.source(), out);
      INT.encode(d.partition(), out);
      LONG.encode(d.offset(), out);
      STRING.encode(d.payload(), out);
      STRING.encode(d.stage(), out);
      STRING.encode(d.reason(), out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(
          STRING.decode(in),
          INT.decode(in),
          LONG.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder for {@link Ingested}, given its value's coder. */
  public static final class IngestedCoder<T> extends StructuredCoder<Ingested<T>> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> valueCoder;

    private IngestedCoder(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    public static <T> IngestedCoder<T> of(Coder<T> valueCoder) {
      return new IngestedCoder<>(valueCoder);
    }

    @Override
    public void encode(Ingested<T> i, OutputStream out) throws IOException {
      valueCoder.encode(i.value(), out);
      STRING.encode(i.source(), out);
      INT.encode(i.partition(), out);
      LONG.encode(i.offset(), out);
      BIG_ENDIAN_LONG.encode(i.ingestTimeMillis(), out);
      NULLABLE_STRING.encode(i.payload(), out);
    }

    @Override
    public Ingested<T> decode(InputStream in) throws IOException {
      return new Ingested<>(
          valueCoder.decode(in),
          STRING.decode(in),
          INT.decode(in),
          LONG.decode(in),
          BIG_ENDIAN_LONG.decode(in),
          NULLABLE_STRING.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "value coder must be deterministic", valueCoder);
    }
  }
}
