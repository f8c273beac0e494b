package io.parity.features;

import static io.parity.features.ReplayInput.DAY;
import static io.parity.features.ReplayInput.HOUR;
import static io.parity.features.ReplayInput.MINUTE;
import static io.parity.features.ReplayInput.SECOND;

import io.parity.events.Field;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.FeatureDefinition.AggregateFunction;
import io.parity.features.FeatureDefinition.CalendarKind;
import io.parity.features.FeatureDefinition.GeoKind;
import io.parity.features.FeatureDefinition.LabelFunction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random whole-replay inputs for jqwik. Every choice is an int drawn from 0..999 and decoded with
 * modulo into small pools, so that shrinking (towards 0 and shorter lists) moves towards the
 * simplest pool entries and a failing sample stays readable. Pools are small on purpose: few
 * entities so histories overlap, coarse timestamps so (time, id) and processing-time ties happen,
 * missing optional fields, unknown ingestion times, late payments and labels, and labels before
 * their payment or for unknown events.
 */
final class RandomReplays {

  /** What a property stresses; all profiles draw every feature kind. */
  enum Profile {
    /** A bit of everything. */
    MIXED,
    /** Most payments and labels late, small L and max_lateness: eviction and truncation. */
    LATE,
    /** Very coarse timestamps and ingestion times: ties everywhere. */
    TIES,
    /** Always fraud features and many labels: which label each payment sees. */
    LABELS
  }

  private static final String[] ENTITY_NAMES = {
    "card", "card", "merchant", "merchant", "category", "channel", "currency"
  };
  private static final long[] WINDOWS = {
    MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 90 * SECOND, 1
  };
  private static final long[] DELAYS = {0, 0, 0, MINUTE, 2 * MINUTE, 5 * MINUTE, 30 * MINUTE, 1};
  private static final long[] LATENESS = {0, 0, SECOND, MINUTE, 5 * MINUTE, 10 * MINUTE};
  private static final long[] MAX_LATENESS = {0, 0, MINUTE, 10 * MINUTE, HOUR, DAY};
  private static final long[] LATE_LATENESS = {0, MINUTE};
  private static final long[] LATE_MAX_LATENESS = {0, MINUTE, 5 * MINUTE};
  private static final String[] ZONES = {
    "UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"
  };

  /** Monday midnight, the night of the 2024 EU DST switch, and a Saturday evening. */
  private static final long[] BASES = {
    Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(),
    Instant.parse("2024-03-31T00:40:00Z").toEpochMilli(),
    Instant.parse("2024-06-08T21:50:00Z").toEpochMilli()
  };

  private static final Field[] DISTINCT_FIELDS = {
    Field.MERCHANT_ID,
    Field.CARD_ID,
    Field.CHANNEL,
    Field.MERCHANT_CATEGORY,
    Field.AMOUNT,
    Field.CURRENCY,
    Field.LATITUDE,
    Field.LONGITUDE,
    Field.EVENT_ID,
    Field.EVENT_TIME
  };
  private static final Field[] TEXT_FIELDS = {
    Field.CHANNEL, Field.MERCHANT_CATEGORY, Field.CURRENCY, Field.MERCHANT_ID, Field.CARD_ID
  };
  private static final String[] CARDS = {"c1", "c2", "c3"};
  private static final String[] MERCHANTS = {"m1", "m2"};
  private static final String[] CATEGORIES = {null, "grocery", "travel"};
  private static final String[] CHANNELS = {null, "pos", "ecom", "atm"};
  private static final String[] CURRENCIES = {"usd", "eur"};

  /** Amounts whose sums round differently in different orders (0.1, 0.2, 0.3, 1e16...). */
  private static final double[] AMOUNTS = {
    1.0, 0.1, 0.2, 0.3, 2.5, 10.0, 0.0, 1e16, 123.45, 7.0 / 3.0, 1e-3, 99.99
  };

  private static final double[][] CITIES = {
    {48.8566, 2.3522}, {51.5074, -0.1278}, {40.7128, -74.0060}, {-33.8688, 151.2093}, {0.0, 0.0}
  };

  private RandomReplays() {}

  static Arbitrary<ReplayInput> replays(Profile profile) {
    Arbitrary<List<Integer>> draft = Arbitraries.integers().between(0, 999).list().ofSize(16);
    Arbitrary<List<Integer>> head = draft;
    Arbitrary<List<List<Integer>>> features = draft.list().ofMinSize(1).ofMaxSize(8);
    Arbitrary<List<List<Integer>>> payments =
        profile == Profile.LABELS
            ? draft.list().ofMinSize(3).ofMaxSize(22)
            : draft.list().ofMaxSize(profile == Profile.TIES ? 14 : 22);
    Arbitrary<List<List<Integer>>> labels =
        profile == Profile.LABELS
            ? draft.list().ofMinSize(5).ofMaxSize(30)
            : draft.list().ofMaxSize(18);
    return Combinators.combine(head, features, payments, labels)
        .as((h, f, p, l) -> decode(profile, h, f, p, l));
  }

  private static ReplayInput decode(
      Profile profile,
      List<Integer> head,
      List<List<Integer>> featureDrafts,
      List<List<Integer>> paymentDrafts,
      List<List<Integer>> labelDrafts) {
    long base = BASES[head.get(0) % BASES.length];
    ZoneId zone = ZoneId.of(ZONES[head.get(1) % ZONES.length]);
    long lateness =
        profile == Profile.LATE
            ? LATE_LATENESS[head.get(2) % LATE_LATENESS.length]
            : LATENESS[head.get(2) % LATENESS.length];
    long maxLateness =
        profile == Profile.LATE
            ? LATE_MAX_LATENESS[head.get(3) % LATE_MAX_LATENESS.length]
            : MAX_LATENESS[head.get(3) % MAX_LATENESS.length];

    List<FeatureDefinition> features = new ArrayList<>();
    for (int i = 0; i < featureDrafts.size(); i++) {
      features.add(feature("f" + i, featureDrafts.get(i)));
    }
    if (profile == Profile.LABELS) {
      String entity = head.get(4) % 2 == 0 ? "card" : "merchant";
      Duration window = Duration.ofMillis(WINDOWS[head.get(5) % WINDOWS.length]);
      Duration delay = Duration.ofMillis(DELAYS[head.get(6) % DELAYS.length]);
      features.add(
          new FeatureDefinition.LabelAggregate(
              "fraud_count", entity, LabelFunction.FRAUD_COUNT, window, delay));
      features.add(
          new FeatureDefinition.LabelAggregate(
              "fraud_rate", entity, LabelFunction.FRAUD_RATE, window, delay));
    }
    FeatureSpec spec = ReplayInput.spec(zone, lateness, maxLateness, features);

    List<Arrival<PaymentEvent>> payments = new ArrayList<>();
    for (int i = 0; i < paymentDrafts.size(); i++) {
      payments.add(payment(profile, base, lateness, "e" + i, paymentDrafts.get(i)));
    }

    List<Arrival<LabelEvent>> labels = new ArrayList<>();
    // The README does not order two labels of one event with equal processing and label time;
    // keeping (event id, label time) unique keeps such conflicting ties out of the inputs.
    Set<String> seen = new HashSet<>();
    for (List<Integer> r : labelDrafts) {
      Arrival<LabelEvent> label = label(profile, base, payments, r);
      if (seen.add(label.value().eventId() + "@" + label.value().labelTimeMillis())) {
        labels.add(label);
      }
    }
    return new ReplayInput("random " + profile, base, spec, payments, labels);
  }

  private static FeatureDefinition feature(String name, List<Integer> r) {
    String entity = ENTITY_NAMES[r.get(1) % ENTITY_NAMES.length];
    Duration window = Duration.ofMillis(WINDOWS[r.get(2) % WINDOWS.length]);
    Duration delay = Duration.ofMillis(DELAYS[r.get(3) % DELAYS.length]);
    // Label aggregates get a double share: they need labels, windows and timing to line up.
    return switch (r.get(0) % 9) {
      case 0, 7 -> {
        AggregateFunction fn =
            AggregateFunction.values()[r.get(4) % AggregateFunction.values().length];
        Field field =
            switch (fn) {
              case COUNT -> null;
              case DISTINCT_COUNT -> DISTINCT_FIELDS[r.get(5) % DISTINCT_FIELDS.length];
              default -> Field.AMOUNT;
            };
        yield new FeatureDefinition.Aggregate(name, entity, fn, field, window, delay);
      }
      case 1, 8 ->
          new FeatureDefinition.LabelAggregate(
              name, entity, LabelFunction.values()[r.get(4) % 2], window, delay);
      case 2 -> new FeatureDefinition.TimeSinceLast(name, entity);
      case 3 -> new FeatureDefinition.AmountToMean(name, entity, window, delay);
      case 4 ->
          new FeatureDefinition.Calendar(
              name, CalendarKind.values()[r.get(4) % 4], r.get(5) % 24, r.get(6) % 24);
      case 5 -> new FeatureDefinition.Geo(name, entity, GeoKind.values()[r.get(4) % 2]);
      default -> {
        Field field = TEXT_FIELDS[r.get(5) % TEXT_FIELDS.length];
        String[] pool = pool(field);
        // A subset of the field's values (missing some on purpose), in a drawn order.
        List<String> vocabulary = new ArrayList<>();
        for (int k = 0; k < pool.length; k++) {
          String v = pool[(k + r.get(7)) % pool.length];
          if (v != null && ((r.get(6) >> k) & 1) == 0) {
            vocabulary.add(v);
          }
        }
        yield new FeatureDefinition.Categorical(name, field, vocabulary);
      }
    };
  }

  private static String[] pool(Field field) {
    return switch (field) {
      case CHANNEL -> CHANNELS;
      case MERCHANT_CATEGORY -> CATEGORIES;
      case CURRENCY -> CURRENCIES;
      case MERCHANT_ID -> MERCHANTS;
      case CARD_ID -> CARDS;
      default -> throw new IllegalArgumentException(field.toString());
    };
  }

  private static Arrival<PaymentEvent> payment(
      Profile profile, long base, long lateness, String id, List<Integer> r) {
    long time =
        switch (profile) {
          case TIES -> base + (r.get(0) % 6) * MINUTE;
          default -> {
            long t = base + (r.get(0) % 40) * MINUTE;
            // A quarter of the events off the minute grid; a few hours or days away.
            if (r.get(1) % 4 == 1) {
              t += (r.get(2) * 97L) % MINUTE;
            }
            if (r.get(1) % 10 == 3) {
              t += (r.get(2) % 30) * HOUR;
            }
            yield t;
          }
        };
    String card = CARDS[r.get(3) % CARDS.length];
    String merchant = MERCHANTS[r.get(4) % MERCHANTS.length];
    String category = CATEGORIES[r.get(5) % CATEGORIES.length];
    String channel = CHANNELS[r.get(6) % CHANNELS.length];
    String currency = CURRENCIES[r.get(7) % CURRENCIES.length];
    double amount =
        r.get(8) < 600 ? AMOUNTS[r.get(8) % AMOUNTS.length] : (r.get(8) * 7919 % 100_000) / 100.0;
    Double lat = null;
    Double lon = null;
    if (r.get(9) % 4 != 0) {
      double[] city = CITIES[r.get(9) % CITIES.length];
      // Small jitter so that nearby points and exact repeats both occur.
      double jitter = (r.get(10) % 3) * 1e-3;
      lat = city[0] + jitter;
      lon = city[1] - jitter;
    }
    int mode = r.get(11) % (profile == Profile.LATE ? 4 : 6);
    long ingest =
        switch (profile == Profile.LATE ? mode + 2 : mode) {
          case 0, 1 -> Arrival.UNKNOWN;
          // On time: anywhere up to t + L (before t too, clocks disagree).
          case 2 -> time - MINUTE + (r.get(12) * 7919L) % (lateness + MINUTE + 1);
          case 3 -> time + lateness;
          // Late: up to 3h after t + L.
          case 4 -> time + lateness + 1 + (r.get(12) % 180) * MINUTE;
          // Coarse absolute arrival: ties in processing time with other payments and labels.
          default -> base + (r.get(12) % (profile == Profile.TIES ? 8 : 60)) * MINUTE;
        };
    return new Arrival<>(
        new PaymentEvent(id, time, card, merchant, amount, currency, category, lat, lon, channel),
        ingest);
  }

  private static Arrival<LabelEvent> label(
      Profile profile, long base, List<Arrival<PaymentEvent>> payments, List<Integer> r) {
    String eventId;
    long paymentTime;
    if (payments.isEmpty() || r.get(0) % 10 == 9) {
      eventId = "ghost" + (r.get(1) % 3);
      paymentTime = base;
    } else {
      PaymentEvent p = payments.get(r.get(0) % payments.size()).value();
      eventId = p.eventId();
      paymentTime = p.eventTimeMillis();
    }
    boolean fraud = r.get(2) % 2 == 1;
    long[] offsets = {
      0,
      30 * SECOND,
      MINUTE,
      2 * MINUTE,
      5 * MINUTE,
      10 * MINUTE,
      30 * MINUTE,
      3 * HOUR,
      -5 * MINUTE
    };
    long labelTime =
        profile == Profile.TIES
            ? base + (r.get(3) % 8) * MINUTE
            : paymentTime + offsets[r.get(3) % offsets.length];
    long ingest =
        switch (r.get(4) % 4) {
          case 0 -> Arrival.UNKNOWN;
          case 1 -> labelTime + (r.get(5) % 10) * MINUTE;
          // Possibly before its payment arrives.
          case 2 -> base + (r.get(5) % 40) * MINUTE;
          default -> base + (r.get(5) % 240) * MINUTE;
        };
    return new Arrival<>(new LabelEvent(eventId, fraud, labelTime), ingest);
  }
}
