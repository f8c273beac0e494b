package io.parity.ingest;

import java.util.Objects;

/**
 * A record that could not become an event, kept with its raw payload, its position and a precise
 * reason, so nothing is lost and every rejection can be fixed and replayed.
 *
 * @param stage the step that rejected it: {@code decode} (not JSON/CSV) or {@code validate}
 */
public record DeadLetter(
    String source, int partition, long offset, String payload, String stage, String reason) {

  public DeadLetter {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
  }

  public static DeadLetter of(RawRecord raw, String stage, String reason) {
    return new DeadLetter(
        raw.source(), raw.partition(), raw.offset(), raw.payload(), stage, reason);
  }
}
