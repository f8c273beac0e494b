package io.parity.lakehouse.training;

/** The file format a training-set version is pulled as. */
public enum Format {
  /** {@code rows.parquet}: Parquet written through parquet-avro, deterministic bytes. */
  PARQUET,
  /** {@code rows.csv}: RFC 4180 with a header, doubles as {@link Double#toString(double)}. */
  CSV;

  /** Parses {@code parquet} or {@code csv} (any case). */
  public static Format parse(String text) {
    if (text != null) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(text.trim())) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException("unknown format '" + text + "': use parquet or csv");
  }
}
