package io.parity.testdata;

import java.util.ArrayList;
import java.util.List;

/**
 * Malformed payment records, one of each kind a real feed produces, for demos and tests of the
 * dead-letter path. Each comes with the reason Parity must give for rejecting it.
 */
public final class BadRecords {
  private BadRecords() {}

  /** A malformed record and a part of the dead-letter reason it must get. */
  public record BadRecord(String payload, String expectedReason) {}

  private static final String OK =
      "\"event_time\":\"2026-01-05T10:00:00.000Z\",\"card_id\":\"card-00001\","
          + "\"merchant_id\":\"term-00001\"";

  /** Every kind, in a fixed order. */
  public static final List<BadRecord> KINDS =
      List.of(
          new BadRecord("{\"event_id\":\"bad-json\",\"amount\":", "malformed JSON"),
          new BadRecord(
              "{\"event_id\":\"bad-missing\",\"event_time\":\"2026-01-05T10:00:00.000Z\","
                  + "\"merchant_id\":\"term-00001\",\"amount\":1.00}",
              "card_id (column 'card_id'): missing"),
          new BadRecord(
              "{\"event_id\":\"bad-time\",\"event_time\":\"05/01/2026 10:00\","
                  + "\"card_id\":\"card-00001\",\"merchant_id\":\"term-00001\",\"amount\":1.00}",
              "'05/01/2026 10:00' is not an ISO-8601 timestamp"),
          new BadRecord(
              "{\"event_id\":\"bad-negative\"," + OK + ",\"amount\":-12.50}", "-12.5 is negative"),
          new BadRecord(
              "{\"event_id\":\"bad-nan\"," + OK + ",\"amount\":\"NaN\"}",
              "NaN is not a finite number"),
          new BadRecord(
              "{\"event_id\":\"bad-currency\"," + OK + ",\"amount\":3.00,\"currency\":\"XYZ\"}",
              "'XYZ' is not an ISO-4217 currency code"),
          new BadRecord(
              "{\"event_id\":\"bad-type\"," + OK + ",\"amount\":{\"value\":3}}",
              "expected a number, got object"));

  /** The first {@code n} bad records, cycling through the kinds; ids stay unique. */
  public static List<BadRecord> first(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, was " + n);
    }
    List<BadRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      BadRecord kind = KINDS.get(i % KINDS.size());
      int round = i / KINDS.size();
      String payload =
          round == 0
              ? kind.payload()
              : kind.payload().replaceFirst("\"bad-", "\"bad" + round + "-");
      out.add(new BadRecord(payload, kind.expectedReason()));
    }
    return out;
  }
}
