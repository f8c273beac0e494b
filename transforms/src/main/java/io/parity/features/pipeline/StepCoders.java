package io.parity.features.pipeline;

import io.parity.coders.ParityCoders;
import io.parity.events.PaymentEvent;
import io.parity.features.EntityHistory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Coders for the feature stages' elements and state. */
final class StepCoders {
  private StepCoders() {}

  static void writeValues(double[] values, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    VarIntCoder.of().encode(values.length, out);
    for (double v : values) {
      data.writeLong(Double.doubleToRawLongBits(v));
    }
    data.flush();
  }

  static double[] readValues(InputStream in) throws IOException {
    int n = VarIntCoder.of().decode(in);
    DataInputStream data = new DataInputStream(in);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Double.longBitsToDouble(data.readLong());
    }
    return values;
  }

  /** Coder for {@link Step}. */
  static final class StepCoder extends CustomCoder<Step> {
    private static final long serialVersionUID = 1L;
    static final StepCoder INSTANCE = new StepCoder();

    @Override
    public void encode(Step s, OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(s.processingTime());
      out.write(s.isPayment() ? (s.replay() ? 2 : 1) : 0);
      if (s.isPayment()) {
        ParityCoders.PaymentEventCoder.of().encode(s.payment(), out);
        writeValues(s.values(), out);
        VarLongCoder.of().encode(s.readAtMillis(), out);
      } else {
        ParityCoders.LabelEventCoder.of().encode(s.label(), out);
      }
    }

    @Override
    public Step decode(InputStream in) throws IOException {
      long time = new DataInputStream(in).readLong();
      int kind = in.read();
      if (kind == 1 || kind == 2) {
        PaymentEvent p = ParityCoders.PaymentEventCoder.of().decode(in);
        double[] values = readValues(in);
        long readAt = VarLongCoder.of().decode(in);
        return kind == 1
            ? Step.payment(time, p, values, readAt)
            : Step.replayedPayment(time, p, values);
      }
      if (kind != 0) {
        throw new IOException("corrupt step: kind " + kind);
      }
      return Step.label(time, ParityCoders.LabelEventCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder for an entity's {@link EntityHistory} (its state in streaming). */
  static final class EntityHistoryCoder extends CustomCoder<EntityHistory> {
    private static final long serialVersionUID = 1L;
    static final EntityHistoryCoder INSTANCE = new EntityHistoryCoder();

    @Override
    public void encode(EntityHistory h, OutputStream out) throws IOException {
      VarIntCoder.of().encode(h.size(), out);
      for (EntityHistory.Entry e : h.entries()) {
        ParityCoders.PaymentEventCoder.of().encode(e.event(), out);
        out.write(e.label() + 1);
      }
    }

    @Override
    public EntityHistory decode(InputStream in) throws IOException {
      int n = VarIntCoder.of().decode(in);
      List<EntityHistory.Entry> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        PaymentEvent p = ParityCoders.PaymentEventCoder.of().decode(in);
        entries.add(EntityHistory.entry(p, (byte) (in.read() - 1)));
      }
      return EntityHistory.of(entries);
    }
  }
}
