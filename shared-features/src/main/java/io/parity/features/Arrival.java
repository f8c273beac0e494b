package io.parity.features;

import java.util.Objects;

/**
 * A payment or label with the time it was ingested (the Kafka record timestamp of a LogAppendTime
 * topic), which decides where it falls in the processing order (see README: processing order).
 */
public record Arrival<T>(T value, long ingestTimeMillis) {
  /** No ingestion time (e.g. read from a file): ordered by event time alone. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  public Arrival {
    Objects.requireNonNull(value, "value");
  }

  public static <T> Arrival<T> unknownIngestTime(T value) {
    return new Arrival<>(value, UNKNOWN);
  }
}
