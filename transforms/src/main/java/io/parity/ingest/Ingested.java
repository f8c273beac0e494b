package io.parity.ingest;

import java.util.Objects;

/**
 * A parsed event with the position of the record it came from (see {@link RawRecord}): the
 * ingestion metadata the bronze table keeps, and the ingestion time that places it in the feature
 * processing order. The raw payload is kept only when asked for ({@link
 * ParseEvents#keepingPayloads()}).
 */
public record Ingested<T>(
    T value, String source, int partition, long offset, long ingestTimeMillis, String payload) {

  public Ingested {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  /** Without the raw payload (what feature computation needs). */
  public Ingested(T value, String source, int partition, long offset, long ingestTimeMillis) {
    this(value, source, partition, offset, ingestTimeMillis, null);
  }

  public static <T> Ingested<T> of(T value, RawRecord raw) {
    return new Ingested<>(
        value, raw.source(), raw.partition(), raw.offset(), raw.ingestTimeMillis(), null);
  }

  /** With the raw payload, for the bronze table. */
  public static <T> Ingested<T> withPayload(T value, RawRecord raw) {
    return new Ingested<>(
        value, raw.source(), raw.partition(), raw.offset(), raw.ingestTimeMillis(), raw.payload());
  }
}
