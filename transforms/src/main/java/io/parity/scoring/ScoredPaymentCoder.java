package io.parity.scoring;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coder for {@link ScoredPayment}: the score by its exact IEEE-754 bits, no Java serialization. */
public final class ScoredPaymentCoder extends CustomCoder<ScoredPayment> {
  private static final long serialVersionUID = 1L;
  private static final ScoredPaymentCoder INSTANCE = new ScoredPaymentCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static ScoredPaymentCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScoredPayment s, OutputStream out) throws IOException {
    TEXT.encode(s.eventId(), out);
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(Double.doubleToRawLongBits(s.score()));
    data.flush();
    TEXT.encode(s.decision(), out);
    TEXT.encode(s.model(), out);
    VarIntCoder.of().encode(s.modelVersion(), out);
    TEXT.encode(s.specFingerprint(), out);
    LONG.encode(s.eventTime(), out);
    LONG.encode(s.featuresAsOf(), out);
    LONG.encode(s.scoredAt(), out);
    LONG.encode(s.readAt(), out);
    LONG.encode(s.featuresAt(), out);
  }

  @Override
  public ScoredPayment decode(InputStream in) throws IOException {
    String eventId = TEXT.decode(in);
    double score = Double.longBitsToDouble(new DataInputStream(in).readLong());
    return new ScoredPayment(
        eventId,
        score,
        TEXT.decode(in),
        TEXT.decode(in),
        VarIntCoder.of().decode(in),
        TEXT.decode(in),
        LONG.decode(in),
        LONG.decode(in),
        LONG.decode(in),
        LONG.decode(in),
        LONG.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
