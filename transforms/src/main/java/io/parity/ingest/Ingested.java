package io.parity.ingest;

import java.util.Objects;

/**
 * A parsed event with the position of the record it came from (see {@link RawRecord}): the
 * ingestion metadata the bronze table keeps, and the ingestion time that places it in the feature
 * processing order.
 */
public record Ingested<T>(
    T value, String source, int partition, long offset, long ingestTimeMillis) {

  public Ingested {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  public static <T> Ingested<T> of(T value, RawRecord raw) {
    return new Ingested<>(
        value, raw.source(), raw.partition(), raw.offset(), raw.ingestTimeMillis());
  }
}
