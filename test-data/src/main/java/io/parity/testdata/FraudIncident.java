package io.parity.testdata;

import java.util.List;

/**
 * One injected fraud incident and its events (in event order). A terminal compromise names the
 * terminal ({@code cardId} is null); the other kinds name the card ({@code merchantId} is null).
 */
public record FraudIncident(
    int id, FraudKind kind, String cardId, String merchantId, List<String> eventIds) {

  public FraudIncident {
    eventIds = List.copyOf(eventIds);
  }
}
