package io.parity.testdata;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.util.List;

/** A whole generation pass held in memory: for tests and small samples. */
public record GeneratedDataset(
    List<PaymentEvent> events, List<LabelEvent> labels, GroundTruth groundTruth) {

  public GeneratedDataset {
    events = List.copyOf(events);
    labels = List.copyOf(labels);
  }
}
