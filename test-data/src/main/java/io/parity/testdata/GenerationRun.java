package io.parity.testdata;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One pass of the generator: simulates day after day and hands out the payments of a day once no
 * later day can produce an earlier one, so memory holds about one day of payments (plus labels).
 *
 * <p>Legitimate traffic draws from one random stream per card and day, fraud and labels from their
 * own streams: changing the fraud knobs does not move a single legitimate payment.
 */
final class GenerationRun implements Iterator<GeneratedPayment> {

  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final int EVENT_ID_DIGITS = 9;
  static final long MAX_EVENTS = 1_000_000_000L;

  private static final long STREAM_LEGIT = 10;
  private static final long STREAM_FRAUD = 11;
  private static final long STREAM_LABELS = 12;

  /** Legitimate travel: 3 hours at airports plus flying at 550 km/h, so never above ~450 km/h. */
  private static final double TRAVEL_OVERHEAD_HOURS = 3.0;

  private static final double TRAVEL_SPEED_KMH = 550.0;

  /** Impossible travel goes at least this far; every city has others farther than that. */
  private static final double IMPOSSIBLE_TRAVEL_MIN_KM = 900.0;

  private static final double[][] ZIPF = new double[64][];

  static {
    for (int size = 1; size < ZIPF.length; size++) {
      double[] weights = new double[size];
      for (int rank = 0; rank < size; rank++) {
        weights[rank] = 1.0 / (rank + 1);
      }
      ZIPF[size] = Rand.cumulative(weights);
    }
  }

  private static final Comparator<Candidate> ORDER =
      Comparator.comparingLong((Candidate c) -> c.time).thenComparingLong(c -> c.seq);

  private static final Comparator<LabelEvent> LABEL_ORDER =
      Comparator.comparingLong(LabelEvent::labelTimeMillis).thenComparing(LabelEvent::eventId);

  private static final FraudKind[] INCIDENT_ORDER = {
    FraudKind.TERMINAL_COMPROMISE,
    FraudKind.CARD_BURST,
    FraudKind.LARGE_AMOUNT,
    FraudKind.IMPOSSIBLE_TRAVEL
  };

  private static final Map<FraudKind, Integer> INCIDENT_ORDER_INDEX =
      new EnumMap<>(FraudKind.class);

  static {
    for (int i = 0; i < INCIDENT_ORDER.length; i++) {
      INCIDENT_ORDER_INDEX.put(INCIDENT_ORDER[i], i);
    }
  }

  /** A payment before it gets its id: ids are handed out in emission order. */
  private static final class Candidate {
    final long time;
    final long seq;
    final int card;
    final int merchant;
    final long cents;
    final FraudKind kind;
    final int incident;

    Candidate(
        long time, long seq, int card, int merchant, long cents, FraudKind kind, int incident) {
      this.time = time;
      this.seq = seq;
      this.card = card;
      this.merchant = merchant;
      this.cents = cents;
      this.kind = kind;
      this.incident = incident;
    }
  }

  private final PaymentGeneratorConfig config;
  private final World world;
  private final long seed;
  private final long startMillis;
  private final long endMillis;
  private final long firstEpochDay;
  private final int dayCount;
  private final SplittableRandom fraudRng;
  private final SplittableRandom labelRng;
  private final List<List<FraudKind>> incidentsByDay;

  private final long[] busyUntil;
  private final FraudKind[] pendingIncident;
  private final int[] tripCity;
  private final long[] tripDepart;
  private final long[] tripArrive;
  private final long[] tripReturnDepart;
  private final long[] tripReturnArrive;

  private final long fraudLabelMin;
  private final long fraudLabelMax;
  private final double fraudLabelTypical;
  private final long legitLabelMin;
  private final long legitLabelMax;

  private int nextDay;
  private long nextSeq;
  private int nextIncidentId;
  private long emitted;
  private List<Candidate> pending = new ArrayList<>();
  private List<Candidate> ready = new ArrayList<>();
  private int readyPosition;
  private final List<Candidate> cardScratch = new ArrayList<>();
  private final List<LabelEvent> labels = new ArrayList<>();
  private final Map<FraudKind, Long> eventsByKind = new EnumMap<>(FraudKind.class);

  GenerationRun(PaymentGeneratorConfig config) {
    this.config = config;
    this.seed = config.seed();
    this.world = new World(seed, config.merchants(), config.cards(), config.missingFieldRate());
    this.startMillis = config.start().toEpochMilli();
    this.endMillis = config.end().toEpochMilli();
    // One day before the start, so that card holders west of UTC have a full first day.
    this.firstEpochDay = Math.floorDiv(startMillis, DAY) - 1;
    this.dayCount = (int) (Math.floorDiv(endMillis - 1, DAY) - firstEpochDay + 1);
    this.fraudRng = Rand.stream(seed, STREAM_FRAUD, 0, 0);
    this.labelRng = Rand.stream(seed, STREAM_LABELS, 0, 0);
    int cards = config.cards();
    this.busyUntil = new long[cards];
    Arrays.fill(busyUntil, Long.MIN_VALUE);
    this.pendingIncident = new FraudKind[cards];
    Arrays.fill(pendingIncident, FraudKind.NONE);
    this.tripCity = new int[cards];
    this.tripDepart = new long[cards];
    this.tripArrive = new long[cards];
    this.tripReturnDepart = new long[cards];
    this.tripReturnArrive = new long[cards];
    Arrays.fill(tripDepart, Long.MIN_VALUE);
    Arrays.fill(tripReturnArrive, Long.MIN_VALUE);
    this.fraudLabelMin = config.fraudLabelDelayMin().toMillis();
    this.fraudLabelMax = config.fraudLabelDelayMax().toMillis();
    this.fraudLabelTypical = config.fraudLabelDelayTypical().toMillis();
    this.legitLabelMin = config.legitLabelDelayMin().toMillis();
    this.legitLabelMax = config.legitLabelDelayMax().toMillis();
    for (FraudKind kind : FraudKind.values()) {
      eventsByKind.put(kind, 0L);
    }
    this.incidentsByDay = scheduleIncidents();
  }

  /**
   * Draws how many incidents of each kind happen and on which day. Counts follow from the target
   * rate and each kind's typical number of events, so the realised rate is close to the target.
   */
  private List<List<FraudKind>> scheduleIncidents() {
    List<List<FraudKind>> byDay = new ArrayList<>(dayCount);
    for (int d = 0; d < dayCount; d++) {
      byDay.add(new ArrayList<>());
    }
    double rate = config.fraudRate();
    if (rate <= 0) {
      return byDay;
    }
    double targetFraudEvents = rate / (1 - rate) * config.expectedLegitimateEvents();
    FraudMix mix = config.fraudMix();
    for (FraudKind kind : INCIDENT_ORDER) {
      double share = mix.weight(kind) / mix.total();
      if (share <= 0) {
        continue;
      }
      long incidents = Math.max(1, Math.round(targetFraudEvents * share / typicalSize(kind)));
      for (long i = 0; i < incidents; i++) {
        long t = startMillis + (long) (fraudRng.nextDouble() * (endMillis - startMillis));
        int day = (int) (Math.floorDiv(t, DAY) - firstEpochDay);
        byDay.get(day).add(kind);
      }
    }
    for (List<FraudKind> day : byDay) {
      // Terminals first: they reserve cards over several days, card incidents take what is free.
      day.sort(Comparator.comparingInt(INCIDENT_ORDER_INDEX::get));
    }
    return byDay;
  }

  private double typicalSize(FraudKind kind) {
    return switch (kind) {
      case CARD_BURST -> 8.0;
      case TERMINAL_COMPROMISE -> Math.min(24.0, Math.max(1.0, config.cards() / 9.0));
      case LARGE_AMOUNT -> 1.0;
      case IMPOSSIBLE_TRAVEL -> 1.5;
      case NONE -> throw new IllegalArgumentException("not a fraud kind: " + kind);
    };
  }

  @Override
  public boolean hasNext() {
    while (readyPosition >= ready.size()) {
      if (nextDay >= dayCount) {
        return false;
      }
      advanceOneDay();
    }
    return true;
  }

  @Override
  public GeneratedPayment next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Candidate c = ready.get(readyPosition++);
    long index = emitted++;
    if (index >= MAX_EVENTS) {
      throw new IllegalStateException("more than " + MAX_EVENTS + " events: event ids overflow");
    }
    int m = c.merchant;
    PaymentEvent event =
        new PaymentEvent(
            "tx-" + World.pad(index, EVENT_ID_DIGITS),
            c.time,
            world.cardIds[c.card],
            world.merchantIds[m],
            c.cents / 100.0,
            world.merchantCurrency[m],
            world.reportedCategory[m],
            world.merchantLat[m],
            world.merchantLon[m],
            world.reportedChannel[m]);
    eventsByKind.merge(c.kind, 1L, Long::sum);
    label(event, c.kind.isFraud());
    return new GeneratedPayment(event, c.kind, c.incident);
  }

  /** The labels of all events, in label order; only after the last event was taken. */
  List<LabelEvent> labels() {
    if (hasNext()) {
      throw new IllegalStateException("labels are known only after the last event");
    }
    labels.sort(LABEL_ORDER);
    return labels;
  }

  Map<FraudKind, Long> eventsByKind() {
    return eventsByKind;
  }

  long emitted() {
    return emitted;
  }

  private void label(PaymentEvent event, boolean fraud) {
    if (fraud) {
      long delay;
      if (labelRng.nextDouble() < config.lateFraudLabelFraction()) {
        // Labelled only late: after the usual maximum, up to three times it.
        delay = fraudLabelMax + 1 + labelRng.nextLong(2 * fraudLabelMax);
      } else {
        delay = typicalFraudDelay();
      }
      labels.add(new LabelEvent(event.eventId(), true, event.eventTimeMillis() + delay));
    } else if (labelRng.nextDouble() < config.legitLabelFraction()) {
      long delay = legitLabelMin + labelRng.nextLong(legitLabelMax - legitLabelMin + 1);
      labels.add(new LabelEvent(event.eventId(), false, event.eventTimeMillis() + delay));
    }
  }

  /** Chargeback delay: log-normal around the typical delay, redrawn until within [min, max]. */
  private long typicalFraudDelay() {
    for (int attempt = 0; attempt < 20; attempt++) {
      long delay = Math.round(Rand.logNormal(labelRng, fraudLabelTypical, 0.6));
      if (delay >= fraudLabelMin && delay <= fraudLabelMax) {
        return delay;
      }
    }
    return Math.round(fraudLabelTypical);
  }

  private void advanceOneDay() {
    int day = nextDay++;
    simulateDay(day);
    // No later day produces anything before its first local midnight (UTC+1 is the easternmost).
    long threshold =
        nextDay < dayCount
            ? (firstEpochDay + nextDay) * DAY - World.MAX_UTC_OFFSET_HOURS * HOUR
            : Long.MAX_VALUE;
    pending.sort(ORDER);
    int cut = 0;
    while (cut < pending.size() && pending.get(cut).time < threshold) {
      cut++;
    }
    List<Candidate> out = new ArrayList<>(cut);
    for (Candidate c : pending.subList(0, cut)) {
      if (c.time >= startMillis && c.time < endMillis) {
        out.add(c);
      }
    }
    ready = out;
    readyPosition = 0;
    pending = new ArrayList<>(pending.subList(cut, pending.size()));
  }

  private void simulateDay(int day) {
    long epochDay = firstEpochDay + day;
    long dayStart = epochDay * DAY;
    int dayOfWeek = Rhythms.dayOfWeek(epochDay);
    for (FraudKind kind : incidentsByDay.get(day)) {
      if (kind == FraudKind.TERMINAL_COMPROMISE) {
        compromiseTerminal(dayStart);
      } else {
        assignCardIncident(kind, dayStart);
      }
    }
    for (int card = 0; card < world.cardCount; card++) {
      simulateCardDay(card, epochDay, dayStart, dayOfWeek);
    }
  }

  private void add(long time, int card, int merchant, long cents, FraudKind kind, int incident) {
    pending.add(new Candidate(time, nextSeq++, card, merchant, cents, kind, incident));
  }

  // ---------------------------------------------------------------- legitimate traffic

  private void simulateCardDay(int card, long epochDay, long dayStart, int dayOfWeek) {
    SplittableRandom rng = Rand.stream(seed, STREAM_LEGIT, epochDay, card);
    World.City home = World.CITIES.get(world.homeCity[card]);
    long localMidnight = dayStart - home.utcOffsetHours() * HOUR;
    maybeStartTrip(rng, card, localMidnight);
    boolean weekend = Rhythms.isWeekend(dayOfWeek);
    double mean =
        config.transactionsPerCardPerDay()
            * world.activity[card]
            * Rhythms.DAY_OF_WEEK_FACTOR[dayOfWeek];
    int count = Rand.poisson(rng, mean);
    long[] times = new long[count];
    for (int i = 0; i < count; i++) {
      times[i] = localMidnight + Rhythms.sampleHour(rng, weekend) * HOUR + rng.nextLong(HOUR);
    }
    Arrays.sort(times);
    cardScratch.clear();
    for (long time : times) {
      int hour = (int) ((time - localMidnight) / HOUR);
      int merchant = chooseLegitMerchant(rng, card, time, hour);
      if (merchant < 0) {
        continue;
      }
      long cents =
          cents(
              world.category[merchant],
              Rand.logNormal(
                  rng,
                  world.category[merchant].medianAmount() * world.spendingLevel[card],
                  world.category[merchant].amountSigma()));
      Candidate c = new Candidate(time, nextSeq++, card, merchant, cents, FraudKind.NONE, -1);
      pending.add(c);
      cardScratch.add(c);
    }
    FraudKind incident = pendingIncident[card];
    if (incident != FraudKind.NONE) {
      boolean done =
          switch (incident) {
            case CARD_BURST -> burst(card, localMidnight, weekend);
            case LARGE_AMOUNT -> largeAmount(card, localMidnight, weekend);
            case IMPOSSIBLE_TRAVEL -> impossibleTravel(card, localMidnight);
            default -> throw new IllegalStateException("not a card incident: " + incident);
          };
      if (done) {
        pendingIncident[card] = FraudKind.NONE;
      }
    }
  }

  private void maybeStartTrip(SplittableRandom rng, int card, long localMidnight) {
    if (tripReturnArrive[card] >= localMidnight || rng.nextDouble() >= config.tripRate()) {
      return;
    }
    int home = world.homeCity[card];
    // Somewhere else with terminals to pay at (in a tiny world there may be none).
    int destination = rng.nextInt(World.CITIES.size() - 1);
    if (destination >= home) {
      destination++;
    }
    if (world.locatedByCity[destination].length == 0) {
      return;
    }
    World.City from = World.CITIES.get(home);
    World.City to = World.CITIES.get(destination);
    double km = Geo.distanceKm(from.lat(), from.lon(), to.lat(), to.lon());
    long travel = Math.round((TRAVEL_OVERHEAD_HOURS + km / TRAVEL_SPEED_KMH) * HOUR);
    tripCity[card] = destination;
    tripDepart[card] = localMidnight + 6 * HOUR + rng.nextLong(8 * HOUR);
    tripArrive[card] = tripDepart[card] + travel;
    tripReturnDepart[card] =
        localMidnight + (2 + rng.nextInt(5)) * DAY + 12 * HOUR + rng.nextLong(8 * HOUR);
    tripReturnArrive[card] = tripReturnDepart[card] + travel;
  }

  /** A merchant for a genuine payment at {@code time}, or -1 if there is none to pay at. */
  private int chooseLegitMerchant(SplittableRandom rng, int card, long time, int hour) {
    int merchant = -1;
    for (int attempt = 0; attempt < 5; attempt++) {
      merchant = pickLegitMerchant(rng, card, time);
      if (merchant < 0) {
        return merchant;
      }
      // Rejection sampling: a restaurant at 4 am is unlikely, a web shop at 4 am less so.
      double affinity = Rhythms.affinity(world.category[merchant], world.channel[merchant], hour);
      if (rng.nextDouble() * Rhythms.MAX_AFFINITY < affinity) {
        break;
      }
    }
    return merchant;
  }

  /**
   * At home: mostly the card's preferred merchants, sometimes another terminal in town or a web
   * shop. On a trip: terminals in the visited town or web shops. In transit: web shops only.
   */
  private int pickLegitMerchant(SplittableRandom rng, int card, long time) {
    boolean home = time < tripDepart[card] || time >= tripReturnArrive[card];
    boolean inTransit = !home && (time < tripArrive[card] || time >= tripReturnDepart[card]);
    double u = rng.nextDouble();
    if (home) {
      int[] town = world.locatedByCity[world.homeCity[card]];
      if (u < 0.82) {
        return zipf(rng, world.preferred[card]);
      }
      if (u < 0.92 && town.length > 0) {
        return town[rng.nextInt(town.length)];
      }
      return pickOnline(rng, card, town);
    }
    if (inTransit) {
      return pickOnline(rng, card, null);
    }
    int[] away = world.locatedByCity[tripCity[card]];
    if (u < 0.75) {
      return away[rng.nextInt(away.length)];
    }
    return pickOnline(rng, card, away);
  }

  /** A web shop; without any, a terminal of {@code town}; without that, -1. */
  private int pickOnline(SplittableRandom rng, int card, int[] town) {
    int[] mine = world.preferredOnline[card];
    if (mine.length > 0 && rng.nextDouble() < 0.6) {
      return zipf(rng, mine);
    }
    if (world.online.length > 0) {
      return world.online[rng.nextInt(world.online.length)];
    }
    if (town != null && town.length > 0) {
      return town[rng.nextInt(town.length)];
    }
    return -1;
  }

  private static int zipf(SplittableRandom rng, int[] ranked) {
    int size = Math.min(ranked.length, ZIPF.length - 1);
    return ranked[Rand.weighted(rng, ZIPF[size])];
  }

  /** Amount in cents: cash comes in multiples of 20 up to 1000, anything else to the cent. */
  private static long cents(MerchantCategory category, double amount) {
    if (category == MerchantCategory.CASH) {
      long notes = Math.max(1, Math.min(50, Math.round(amount / 20)));
      return notes * 20 * 100;
    }
    return Math.max(50, Math.min(5_000_000, Math.round(amount * 100)));
  }

  // ---------------------------------------------------------------- fraud

  private void assignCardIncident(FraudKind kind, long dayStart) {
    for (int attempt = 0; attempt < 64; attempt++) {
      int card = fraudRng.nextInt(world.cardCount);
      if (pendingIncident[card] == FraudKind.NONE && busyUntil[card] < dayStart - 2 * HOUR) {
        pendingIncident[card] = kind;
        // Reserved until the incident happened: one incident per card at a time keeps each
        // pattern clean (an impossible-travel pair has no other fraud between its two events).
        busyUntil[card] = Long.MAX_VALUE;
        return;
      }
    }
  }

  private int fraudHour(boolean weekend) {
    // Fraudsters keep odd hours: half uniform over the day, half like everyone else.
    return fraudRng.nextDouble() < 0.5
        ? fraudRng.nextInt(24)
        : Rhythms.sampleHour(fraudRng, weekend);
  }

  private boolean burst(int card, long localMidnight, boolean weekend) {
    int incident = nextIncidentId++;
    long time = localMidnight + fraudHour(weekend) * HOUR + fraudRng.nextLong(HOUR);
    int count = 4 + fraudRng.nextInt(9);
    double meanGapMinutes = Rand.uniform(fraudRng, 2, 20);
    for (int i = 0; i < count; i++) {
      int merchant = unusualMerchant(card);
      MerchantCategory category = world.category[merchant];
      double amount =
          Rand.logNormal(
              fraudRng,
              category.medianAmount()
                  * world.spendingLevel[card]
                  * Rand.uniform(fraudRng, 1.5, 4.0),
              0.3);
      add(time, card, merchant, cents(category, amount), FraudKind.CARD_BURST, incident);
      time += 20_000 + Math.round(Rand.exponential(fraudRng, meanGapMinutes * MINUTE));
    }
    busyUntil[card] = time + DAY;
    return true;
  }

  /** A risky terminal the card does not normally use: mostly online, else in its home town. */
  private int unusualMerchant(int card) {
    int merchant = -1;
    int[] town = world.locatedByCity[world.homeCity[card]];
    for (int attempt = 0; attempt < 30; attempt++) {
      if (world.online.length > 0 && (town.length == 0 || fraudRng.nextDouble() < 0.7)) {
        merchant = world.online[fraudRng.nextInt(world.online.length)];
      } else if (town.length > 0) {
        merchant = town[fraudRng.nextInt(town.length)];
      } else {
        merchant = fraudRng.nextInt(world.merchantCount);
      }
      if (!contains(world.preferred[card], merchant)
          && fraudRng.nextDouble() < world.category[merchant].risk()) {
        return merchant;
      }
    }
    return merchant;
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  private boolean largeAmount(int card, long localMidnight, boolean weekend) {
    int incident = nextIncidentId++;
    long time = localMidnight + fraudHour(weekend) * HOUR + fraudRng.nextLong(HOUR);
    int[] town = world.locatedByCity[world.homeCity[card]];
    int merchant = -1;
    for (int attempt = 0; attempt < 50; attempt++) {
      boolean online = world.online.length > 0 && (town.length == 0 || fraudRng.nextBoolean());
      int candidate =
          online
              ? world.online[fraudRng.nextInt(world.online.length)]
              : town.length > 0
                  ? town[fraudRng.nextInt(town.length)]
                  : fraudRng.nextInt(world.merchantCount);
      merchant = candidate;
      if (isHighValue(world.category[candidate])) {
        break;
      }
    }
    double min = config.largeFraudMinAmount();
    double amount = min * StrictMath.exp(Rand.uniform(fraudRng, 0, StrictMath.log(6)));
    // Not cash: an ATM would refuse; the amount is taken as is even if the terminal is cheap.
    long cents = Math.max(Math.round(min * 100), Math.round(amount * 100));
    add(time, card, merchant, cents, FraudKind.LARGE_AMOUNT, incident);
    busyUntil[card] = time + DAY;
    return true;
  }

  private static boolean isHighValue(MerchantCategory category) {
    return category == MerchantCategory.ELECTRONICS
        || category == MerchantCategory.JEWELRY
        || category == MerchantCategory.TRAVEL
        || category == MerchantCategory.ONLINE_RETAIL;
  }

  /**
   * Right after a payment with a location, the card pays again 2-60 minutes later at least 900 km
   * away (so above 900 km/h), before the card's next genuine payment. Returns false (and stays
   * pending for the next day) when today has no payment with a location and room after it.
   */
  private boolean impossibleTravel(int card, long localMidnight) {
    long nextLocalMidnight = localMidnight + DAY;
    int[] anchors = new int[cardScratch.size()];
    int anchorCount = 0;
    for (int i = 0; i < cardScratch.size(); i++) {
      Candidate c = cardScratch.get(i);
      long next = i + 1 < cardScratch.size() ? cardScratch.get(i + 1).time : nextLocalMidnight;
      if (world.located(c.merchant) && c.time >= startMillis && next - c.time > 4 * MINUTE) {
        anchors[anchorCount++] = i;
      }
    }
    if (anchorCount == 0) {
      return false;
    }
    int anchorIndex = anchors[fraudRng.nextInt(anchorCount)];
    Candidate anchor = cardScratch.get(anchorIndex);
    long gapEnd =
        anchorIndex + 1 < cardScratch.size()
            ? cardScratch.get(anchorIndex + 1).time
            : nextLocalMidnight;
    double lat = world.lat(anchor.merchant);
    double lon = world.lon(anchor.merchant);
    double[] weights = new double[World.CITIES.size()];
    for (int c = 0; c < weights.length; c++) {
      World.City city = World.CITIES.get(c);
      boolean far =
          Geo.distanceKm(lat, lon, city.lat(), city.lon()) >= IMPOSSIBLE_TRAVEL_MIN_KM + 50;
      weights[c] = far && world.locatedByCity[c].length > 0 ? city.weight() : 0;
    }
    double[] cumulative = Rand.cumulative(weights);
    if (cumulative[cumulative.length - 1] <= 0) {
      return false;
    }
    int[] farTown = world.locatedByCity[Rand.weighted(fraudRng, cumulative)];
    int firstMerchant = farMerchant(farTown, lat, lon);
    if (firstMerchant < 0) {
      return false;
    }
    int incident = nextIncidentId++;
    long maxDelta = Math.min(60 * MINUTE, gapEnd - anchor.time - 2 * MINUTE);
    long time = anchor.time + 2 * MINUTE + fraudRng.nextLong(maxDelta - 2 * MINUTE + 1);
    int events = fraudRng.nextDouble() < 0.5 ? 1 : 2;
    for (int i = 0; i < events && time < gapEnd - MINUTE; i++) {
      int merchant = i == 0 ? firstMerchant : farMerchant(farTown, lat, lon);
      if (merchant < 0) {
        break;
      }
      MerchantCategory category = world.category[merchant];
      double amount =
          Rand.logNormal(fraudRng, category.medianAmount() * Rand.uniform(fraudRng, 1.0, 3.0), 0.3);
      add(time, card, merchant, cents(category, amount), FraudKind.IMPOSSIBLE_TRAVEL, incident);
      time += 5 * MINUTE + fraudRng.nextLong(25 * MINUTE);
    }
    busyUntil[card] = time + DAY;
    return true;
  }

  /** A terminal in the far town (often a cash machine) at least 900 km away, or -1 if none. */
  private int farMerchant(int[] farTown, double lat, double lon) {
    int merchant = -1;
    boolean wantCash = fraudRng.nextBoolean();
    for (int attempt = 0; attempt < 10; attempt++) {
      int candidate = farTown[fraudRng.nextInt(farTown.length)];
      if (isFar(candidate, lat, lon)) {
        merchant = candidate;
        if (!wantCash || world.category[candidate] == MerchantCategory.CASH) {
          return merchant;
        }
      }
    }
    for (int i = 0; i < farTown.length && merchant < 0; i++) {
      if (isFar(farTown[i], lat, lon)) {
        merchant = farTown[i];
      }
    }
    return merchant;
  }

  private boolean isFar(int merchant, double lat, double lon) {
    return Geo.distanceKm(lat, lon, world.lat(merchant), world.lon(merchant))
        >= IMPOSSIBLE_TRAVEL_MIN_KM;
  }

  /**
   * A terminal, chosen by its category's risk, is compromised for 1-5 days from some time today:
   * 8-40 different cards (local ones for a physical terminal) are charged there once each.
   */
  private void compromiseTerminal(long dayStart) {
    int terminal = fraudRng.nextInt(world.merchantCount);
    for (int attempt = 0; attempt < 100; attempt++) {
      if (fraudRng.nextDouble() < world.category[terminal].risk()) {
        break;
      }
      terminal = fraudRng.nextInt(world.merchantCount);
    }
    // Inside the generated span, so that a small run still shows the whole pattern.
    long from = Math.max(dayStart, startMillis);
    long windowStart = from + fraudRng.nextLong(Math.min(dayStart + DAY, endMillis) - from);
    long duration =
        Math.max(1, Math.min(DAY + fraudRng.nextLong(4 * DAY), endMillis - windowStart));
    int city = world.merchantCity[terminal];
    int[] pool = city >= 0 ? world.cardsByCity[city] : null;
    int poolSize = pool != null ? pool.length : world.cardCount;
    int hits = Math.min(8 + fraudRng.nextInt(33), poolSize);
    int offsetHours = city >= 0 ? World.CITIES.get(city).utcOffsetHours() : 1;
    MerchantCategory category = world.category[terminal];
    Set<Integer> hitCards = new HashSet<>();
    int incident = -1;
    for (int attempt = 0; attempt < 20 * hits && hitCards.size() < hits; attempt++) {
      int index = fraudRng.nextInt(poolSize);
      int card = pool != null ? pool[index] : index;
      if (hitCards.contains(card) || busyUntil[card] >= windowStart - 2 * HOUR) {
        continue;
      }
      if (incident < 0) {
        incident = nextIncidentId++;
      }
      long time = windowStart + fraudRng.nextLong(duration);
      for (int retry = 0; retry < 5; retry++) {
        int hour = (int) (Math.floorMod(time + offsetHours * HOUR, DAY) / HOUR);
        if (fraudRng.nextDouble() * Rhythms.MAX_AFFINITY
            < Rhythms.affinity(category, world.channel[terminal], hour)) {
          break;
        }
        time = windowStart + fraudRng.nextLong(duration);
      }
      long cents;
      if (category != MerchantCategory.CASH && fraudRng.nextDouble() < 0.2) {
        // Card testing: a small amount to check that the stolen card works.
        cents = 100 + fraudRng.nextInt(900);
      } else {
        cents =
            cents(
                category,
                Rand.logNormal(
                    fraudRng, category.medianAmount() * Rand.uniform(fraudRng, 1.0, 2.5), 0.4));
      }
      add(time, card, terminal, cents, FraudKind.TERMINAL_COMPROMISE, incident);
      hitCards.add(card);
      busyUntil[card] = time + 2 * HOUR;
    }
  }
}
