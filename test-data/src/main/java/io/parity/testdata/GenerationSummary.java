package io.parity.testdata;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Counts of one generation pass. */
public record GenerationSummary(long events, long labels, Map<FraudKind, Long> eventsByKind) {

  public GenerationSummary {
    EnumMap<FraudKind, Long> copy = new EnumMap<>(FraudKind.class);
    for (FraudKind kind : FraudKind.values()) {
      copy.put(kind, eventsByKind.getOrDefault(kind, 0L));
    }
    eventsByKind = Collections.unmodifiableMap(copy);
  }

  /** Number of fraudulent events. */
  public long fraudEvents() {
    return events - eventsByKind.get(FraudKind.NONE);
  }

  /** Share of fraudulent events (0 when there are no events). */
  public double fraudRate() {
    return events == 0 ? 0 : (double) fraudEvents() / events;
  }
}
