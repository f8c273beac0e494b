package io.parity.features.pipeline;

import io.parity.coders.ParityCoders;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coder for {@link FeaturedPayment}: values by their exact IEEE-754 bits. */
public final class FeaturedPaymentCoder extends CustomCoder<FeaturedPayment> {
  private static final long serialVersionUID = 1L;
  private static final FeaturedPaymentCoder INSTANCE = new FeaturedPaymentCoder();

  public static FeaturedPaymentCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(FeaturedPayment f, OutputStream out) throws IOException {
    ParityCoders.PaymentEventCoder.of().encode(f.payment(), out);
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(f.processingTime());
    data.flush();
    StepCoders.writeValues(f.values(), out);
    VarLongCoder.of().encode(f.readAtMillis(), out);
    VarLongCoder.of().encode(f.featuresAtMillis(), out);
  }

  @Override
  public FeaturedPayment decode(InputStream in) throws IOException {
    var payment = ParityCoders.PaymentEventCoder.of().decode(in);
    long time = new DataInputStream(in).readLong();
    double[] values = StepCoders.readValues(in);
    long readAt = VarLongCoder.of().decode(in);
    return new FeaturedPayment(payment, time, values, readAt, VarLongCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
