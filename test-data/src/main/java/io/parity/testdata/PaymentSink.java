package io.parity.testdata;

import io.parity.events.LabelEvent;
import java.io.IOException;

/**
 * Receives one generation pass: every payment in event order (time, then id), then every label in
 * label order (time, then event id).
 */
public interface PaymentSink {

  void acceptPayment(GeneratedPayment payment) throws IOException;

  void acceptLabel(LabelEvent label) throws IOException;
}
