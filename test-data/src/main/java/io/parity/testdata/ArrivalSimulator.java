package io.parity.testdata;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Assigns ingestion times to generated events the way a real feed delivers them: most arrive within
 * seconds of their event time, a seeded fraction arrives late (minutes to hours), so tests can
 * replay out-of-order and late arrivals deterministically.
 */
public final class ArrivalSimulator {
  private final long seed;
  private final double lateFraction;
  private final Duration maxLateness;

  private ArrivalSimulator(long seed, double lateFraction, Duration maxLateness) {
    if (lateFraction < 0 || lateFraction > 1) {
      throw new IllegalArgumentException("lateFraction must be in [0, 1], was " + lateFraction);
    }
    if (maxLateness.isNegative() || maxLateness.isZero()) {
      throw new IllegalArgumentException("maxLateness must be positive, was " + maxLateness);
    }
    this.seed = seed;
    this.lateFraction = lateFraction;
    this.maxLateness = maxLateness;
  }

  /** Late arrivals are delayed uniformly in (1 min, maxLateness]. */
  public static ArrivalSimulator of(long seed, double lateFraction, Duration maxLateness) {
    return new ArrivalSimulator(seed, lateFraction, maxLateness);
  }

  /** Payments with ingest times, in arrival order (ingest time, then event id). */
  public List<Arrival<PaymentEvent>> payments(List<PaymentEvent> events) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Arrival<PaymentEvent>> out = new ArrayList<>(events.size());
    long late = maxLateness.toMillis();
    for (PaymentEvent e : events) {
      long delay =
          r.nextDouble() < lateFraction
              ? 60_000 + 1 + r.nextLong(Math.max(1, late - 60_000))
              : r.nextLong(2_000);
      out.add(new Arrival<>(e, e.eventTimeMillis() + delay));
    }
    out.sort(
        Comparator.comparingLong((Arrival<PaymentEvent> a) -> a.ingestTimeMillis())
            .thenComparing(a -> a.value().eventId()));
    return out;
  }

  /** Labels with ingest times a few seconds after their label time, in arrival order. */
  public List<Arrival<LabelEvent>> labels(List<LabelEvent> labels) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<Arrival<LabelEvent>> out = new ArrayList<>(labels.size());
    for (LabelEvent l : labels) {
      out.add(new Arrival<>(l, l.labelTimeMillis() + r.nextLong(5_000)));
    }
    out.sort(
        Comparator.comparingLong((Arrival<LabelEvent> a) -> a.ingestTimeMillis())
            .thenComparing(a -> a.value().eventId()));
    return out;
  }
}
