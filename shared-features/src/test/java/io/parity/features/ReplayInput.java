package io.parity.features;

import io.parity.events.Field;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One whole replay's input (spec, payments, labels), shared by the oracle's own tests and the
 * parity tests. Its {@link #toString()} lists every event with times relative to {@link #base} so
 * that a failing sample (hand-written or drawn by jqwik) can be read and re-computed by hand.
 */
record ReplayInput(
    String name,
    long base,
    FeatureSpec spec,
    List<Arrival<PaymentEvent>> payments,
    List<Arrival<LabelEvent>> labels) {

  static final long SECOND = 1_000L;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  /** Monday 2024-01-01T00:00Z: the base of the hand-written scenarios. */
  static final long MONDAY = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

  ReplayInput {
    payments = List.copyOf(payments);
    labels = List.copyOf(labels);
  }

  /** Every entity a feature may name: card, merchant, category, channel, currency. */
  static Map<String, Field> allEntities() {
    Map<String, Field> entities = new LinkedHashMap<>();
    entities.put("card", Field.CARD_ID);
    entities.put("merchant", Field.MERCHANT_ID);
    entities.put("category", Field.MERCHANT_CATEGORY);
    entities.put("channel", Field.CHANNEL);
    entities.put("currency", Field.CURRENCY);
    return entities;
  }

  static FeatureSpec spec(
      ZoneId zone, long latenessMillis, long maxLatenessMillis, List<FeatureDefinition> features) {
    return new FeatureSpec(
        "test",
        zone,
        Duration.ofMillis(latenessMillis),
        Duration.ofMillis(maxLatenessMillis),
        allEntities(),
        features);
  }

  static FeatureSpec spec(
      long latenessMillis, long maxLatenessMillis, FeatureDefinition... features) {
    return spec(ZoneOffset.UTC, latenessMillis, maxLatenessMillis, List.of(features));
  }

  /** A payment with defaults for everything a scenario does not care about. */
  static Pay pay(String id, long timeMillis) {
    return new Pay(id, timeMillis);
  }

  static Arrival<LabelEvent> label(String id, boolean fraud, long labelTime, long ingestTime) {
    return new Arrival<>(new LabelEvent(id, fraud, labelTime), ingestTime);
  }

  static Arrival<LabelEvent> label(String id, boolean fraud, long labelTime) {
    return label(id, fraud, labelTime, Arrival.UNKNOWN);
  }

  /** A small builder: card c1, merchant m1, amount 1, currency usd, nothing optional. */
  static final class Pay {
    private final String id;
    private final long time;
    private String card = "c1";
    private String merchant = "m1";
    private double amount = 1.0;
    private String currency = "usd";
    private String category;
    private Double latitude;
    private Double longitude;
    private String channel;
    private long ingest = Arrival.UNKNOWN;

    private Pay(String id, long time) {
      this.id = id;
      this.time = time;
    }

    Pay card(String v) {
      card = v;
      return this;
    }

    Pay merchant(String v) {
      merchant = v;
      return this;
    }

    Pay amount(double v) {
      amount = v;
      return this;
    }

    Pay currency(String v) {
      currency = v;
      return this;
    }

    Pay category(String v) {
      category = v;
      return this;
    }

    Pay channel(String v) {
      channel = v;
      return this;
    }

    Pay at(double lat, double lon) {
      latitude = lat;
      longitude = lon;
      return this;
    }

    Pay ingest(long v) {
      ingest = v;
      return this;
    }

    Arrival<PaymentEvent> arrival() {
      return new Arrival<>(
          new PaymentEvent(
              id, time, card, merchant, amount, currency, category, latitude, longitude, channel),
          ingest);
    }
  }

  static List<Arrival<PaymentEvent>> payments(Pay... pays) {
    List<Arrival<PaymentEvent>> out = new ArrayList<>();
    for (Pay p : pays) {
      out.add(p.arrival());
    }
    return out;
  }

  private String rel(long millis) {
    if (millis == Arrival.UNKNOWN) {
      return "none";
    }
    long d = millis - base;
    return (d < 0 ? "-" : "+") + Duration.ofMillis(Math.abs(d)).toString().substring(2);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name).append(" (times relative to ");
    s.append(Instant.ofEpochMilli(base)).append(")\n");
    s.append("  spec: zone=").append(spec.timeZone());
    s.append(" L=").append(spec.allowedLateness().toMillis()).append("ms");
    s.append(" max_lateness=").append(spec.maxLateness().toMillis()).append("ms\n");
    for (FeatureDefinition f : spec.features()) {
      s.append("    ").append(f).append('\n');
    }
    for (Arrival<PaymentEvent> a : payments) {
      PaymentEvent p = a.value();
      s.append("  pay ").append(p.eventId()).append(" t=").append(rel(p.eventTimeMillis()));
      s.append(" ingest=").append(rel(a.ingestTimeMillis()));
      s.append(" card=").append(p.cardId()).append(" merchant=").append(p.merchantId());
      s.append(" amount=").append(p.amount()).append(" currency=").append(p.currency());
      s.append(" category=").append(p.merchantCategory()).append(" channel=").append(p.channel());
      s.append(" loc=").append(p.hasLocation() ? p.latitude() + "," + p.longitude() : "none");
      s.append('\n');
    }
    for (Arrival<LabelEvent> a : labels) {
      LabelEvent l = a.value();
      s.append("  label ").append(l.eventId()).append(l.fraud() ? " fraud" : " legit");
      s.append(" s=").append(rel(l.labelTimeMillis()));
      s.append(" ingest=").append(rel(a.ingestTimeMillis())).append('\n');
    }
    return s.toString();
  }
}
