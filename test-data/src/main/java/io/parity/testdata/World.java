package io.parity.testdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The simulated population: cities with neighbourhoods, merchant terminals and card holders. Built
 * once per run from the seed; arrays indexed by merchant and card number keep 10^6 cards cheap.
 */
final class World {

  /** A city: card holders live here and terminals stand here. */
  record City(
      String name, double lat, double lon, String currency, double weight, int utcOffsetHours) {}

  static final List<City> CITIES =
      List.of(
          new City("paris", 48.8566, 2.3522, "EUR", 0.20, 1),
          new City("berlin", 52.5200, 13.4050, "EUR", 0.17, 1),
          new City("madrid", 40.4168, -3.7038, "EUR", 0.14, 1),
          new City("milan", 45.4642, 9.1900, "EUR", 0.12, 1),
          new City("amsterdam", 52.3676, 4.9041, "EUR", 0.10, 1),
          new City("lisbon", 38.7223, -9.1393, "EUR", 0.08, 0),
          new City("vienna", 48.2082, 16.3738, "EUR", 0.08, 1),
          new City("london", 51.5072, -0.1276, "GBP", 0.05, 0),
          new City("new-york", 40.7128, -74.0060, "USD", 0.03, -5));

  static final int MAX_UTC_OFFSET_HOURS = 1;
  static final int NEIGHBOURHOODS = 6;

  // Streams of the world; fraud and legitimate traffic use others so they cannot shift the world.
  static final long STREAM_NEIGHBOURHOODS = 1;
  static final long STREAM_MERCHANTS = 2;
  static final long STREAM_CARDS = 3;

  private static final double[] CITY_WEIGHTS_CUMULATIVE =
      Rand.cumulative(CITIES.stream().mapToDouble(City::weight).toArray());
  private static final double[] CATEGORY_WEIGHTS_CUMULATIVE;

  static {
    MerchantCategory[] categories = MerchantCategory.values();
    double[] weights = new double[categories.length];
    for (int i = 0; i < categories.length; i++) {
      weights[i] = categories[i].merchantShare();
    }
    CATEGORY_WEIGHTS_CUMULATIVE = Rand.cumulative(weights);
  }

  final double[][] neighbourhoodLat = new double[CITIES.size()][NEIGHBOURHOODS];
  final double[][] neighbourhoodLon = new double[CITIES.size()][NEIGHBOURHOODS];

  // Merchants (terminals).
  final int merchantCount;
  final String[] merchantIds;
  final MerchantCategory[] category;
  final Channel[] channel;

  /** Category as reported in events; null when the merchant does not report it. */
  final String[] reportedCategory;

  /** Channel as reported in events; null when the merchant does not report it. */
  final String[] reportedChannel;

  /** City of a located terminal, -1 for an online one. */
  final int[] merchantCity;

  /** Boxed once so that a million events share a few thousand location objects. */
  final Double[] merchantLat;

  final Double[] merchantLon;
  final String[] merchantCurrency;
  final int[] online;
  final int[][] locatedByCity;
  final int[][][] locatedByNeighbourhood;

  // Cards.
  final int cardCount;
  final String[] cardIds;
  final int[] homeCity;
  final double[] homeLat;
  final double[] homeLon;

  /** Spending level: multiplies every category's amount scale (log-normal around 1). */
  final double[] spendingLevel;

  /** Activity: multiplies the mean number of payments per day (log-normal, mean 1). */
  final double[] activity;

  /** Preferred merchants, most preferred first: terminals near home plus a few online shops. */
  final int[][] preferred;

  /** Preferred online merchants, the ones a card also uses while travelling. */
  final int[][] preferredOnline;

  final int[][] cardsByCity;

  World(long seed, int merchants, int cards, double missingFieldRate) {
    SplittableRandom places = Rand.stream(seed, STREAM_NEIGHBOURHOODS, 0, 0);
    for (int c = 0; c < CITIES.size(); c++) {
      City city = CITIES.get(c);
      for (int n = 0; n < NEIGHBOURHOODS; n++) {
        // Neighbourhood centres within ~7 km of the city centre.
        double radius = n == 0 ? 0 : Rand.uniform(places, 1.5, 7.0);
        double angle = Rand.uniform(places, 0, 2 * StrictMath.PI);
        neighbourhoodLat[c][n] = Geo.offsetLatitude(city.lat(), radius * StrictMath.sin(angle));
        neighbourhoodLon[c][n] =
            Geo.offsetLongitude(city.lat(), city.lon(), radius * StrictMath.cos(angle));
      }
    }

    merchantCount = merchants;
    merchantIds = ids("term-", merchants, 5);
    category = new MerchantCategory[merchants];
    channel = new Channel[merchants];
    reportedCategory = new String[merchants];
    reportedChannel = new String[merchants];
    merchantCity = new int[merchants];
    merchantLat = new Double[merchants];
    merchantLon = new Double[merchants];
    merchantCurrency = new String[merchants];
    int[] neighbourhood = new int[merchants];
    SplittableRandom merchantRng = Rand.stream(seed, STREAM_MERCHANTS, 0, 0);
    MerchantCategory[] categories = MerchantCategory.values();
    int located = 0;
    for (int m = 0; m < merchants; m++) {
      // The first terminals cover every category, so even a small world has all of them.
      MerchantCategory cat =
          m < categories.length
              ? categories[m]
              : categories[Rand.weighted(merchantRng, CATEGORY_WEIGHTS_CUMULATIVE)];
      category[m] = cat;
      channel[m] = pickChannel(merchantRng, cat);
      reportedCategory[m] = merchantRng.nextDouble() < missingFieldRate ? null : cat.code();
      reportedChannel[m] = merchantRng.nextDouble() < missingFieldRate ? null : channel[m].code();
      if (channel[m].hasLocation()) {
        // Likewise the first located terminals cover every city.
        int city =
            located < CITIES.size() ? located : Rand.weighted(merchantRng, CITY_WEIGHTS_CUMULATIVE);
        located++;
        int n = merchantRng.nextInt(NEIGHBOURHOODS);
        merchantCity[m] = city;
        neighbourhood[m] = n;
        double lat = neighbourhoodLat[city][n];
        merchantLat[m] = Geo.round6(Geo.offsetLatitude(lat, 1.2 * Rand.gaussian(merchantRng)));
        merchantLon[m] =
            Geo.round6(
                Geo.offsetLongitude(
                    lat, neighbourhoodLon[city][n], 1.2 * Rand.gaussian(merchantRng)));
        merchantCurrency[m] = CITIES.get(city).currency();
      } else {
        merchantCity[m] = -1;
        neighbourhood[m] = -1;
        double u = merchantRng.nextDouble();
        // Foreign web shops charge in their own currency.
        merchantCurrency[m] = u < 0.80 ? "EUR" : u < 0.94 ? "USD" : "GBP";
      }
    }
    online = filter(m -> merchantCity[m] < 0, merchants);
    locatedByCity = bucket(merchantCity, CITIES.size());
    int[] cityAndNeighbourhood = new int[merchants];
    for (int m = 0; m < merchants; m++) {
      cityAndNeighbourhood[m] =
          merchantCity[m] < 0 ? -1 : merchantCity[m] * NEIGHBOURHOODS + neighbourhood[m];
    }
    int[][] byNeighbourhood = bucket(cityAndNeighbourhood, CITIES.size() * NEIGHBOURHOODS);
    locatedByNeighbourhood = new int[CITIES.size()][NEIGHBOURHOODS][];
    for (int c = 0; c < CITIES.size(); c++) {
      for (int n = 0; n < NEIGHBOURHOODS; n++) {
        locatedByNeighbourhood[c][n] = byNeighbourhood[c * NEIGHBOURHOODS + n];
      }
    }

    // Card holders live where there are terminals (all cities but in a tiny world), so that their
    // everyday payments stay in town.
    double[] homeWeights = new double[CITIES.size()];
    boolean anyLocated = false;
    for (int c = 0; c < CITIES.size(); c++) {
      anyLocated |= locatedByCity[c].length > 0;
    }
    for (int c = 0; c < CITIES.size(); c++) {
      homeWeights[c] = !anyLocated || locatedByCity[c].length > 0 ? CITIES.get(c).weight() : 0;
    }
    double[] homeCumulative = Rand.cumulative(homeWeights);

    cardCount = cards;
    cardIds = ids("card-", cards, 5);
    homeCity = new int[cards];
    homeLat = new double[cards];
    homeLon = new double[cards];
    spendingLevel = new double[cards];
    activity = new double[cards];
    preferred = new int[cards][];
    preferredOnline = new int[cards][];
    for (int card = 0; card < cards; card++) {
      // One stream per card: adding cards leaves the earlier cards unchanged.
      SplittableRandom rng = Rand.stream(seed, STREAM_CARDS, card, 0);
      int city = Rand.weighted(rng, homeCumulative);
      int n = rng.nextInt(NEIGHBOURHOODS);
      homeCity[card] = city;
      homeLat[card] = Geo.offsetLatitude(neighbourhoodLat[city][n], 1.0 * Rand.gaussian(rng));
      homeLon[card] =
          Geo.offsetLongitude(
              neighbourhoodLat[city][n], neighbourhoodLon[city][n], 1.0 * Rand.gaussian(rng));
      spendingLevel[card] = StrictMath.exp(0.35 * Rand.gaussian(rng));
      activity[card] = StrictMath.exp(0.5 * Rand.gaussian(rng) - 0.125);
      pickPreferred(rng, card, city, n);
    }
    cardsByCity = bucket(homeCity, CITIES.size());
  }

  /** Indexes grouped by key, ascending within each group; negative keys are left out. */
  private static int[][] bucket(int[] keys, int buckets) {
    int[] sizes = new int[buckets];
    for (int key : keys) {
      if (key >= 0) {
        sizes[key]++;
      }
    }
    int[][] out = new int[buckets][];
    for (int b = 0; b < buckets; b++) {
      out[b] = new int[sizes[b]];
    }
    int[] fill = new int[buckets];
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] >= 0) {
        out[keys[i]][fill[keys[i]]++] = i;
      }
    }
    return out;
  }

  private static int[] filter(IntPredicate predicate, int size) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (predicate.test(i)) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Channel pickChannel(SplittableRandom rng, MerchantCategory cat) {
    double u = rng.nextDouble();
    double pos = cat.channelShare(Channel.POS);
    double online = cat.channelShare(Channel.ONLINE);
    if (u < pos) {
      return Channel.POS;
    }
    if (u < pos + online) {
      return Channel.ONLINE;
    }
    return cat.channelShare(Channel.ATM) > 0 ? Channel.ATM : Channel.POS;
  }

  private void pickPreferred(SplittableRandom rng, int card, int city, int n) {
    int localCount = 5 + rng.nextInt(11);
    int onlineCount = 1 + rng.nextInt(3);
    int[] picks = new int[localCount + onlineCount];
    int size = 0;
    int[] near = locatedByNeighbourhood[city][n];
    int[] town = locatedByCity[city];
    for (int i = 0; i < localCount && town.length > 0; i++) {
      // Mostly the own neighbourhood, sometimes elsewhere in town (work, family).
      int[] pool = near.length > 0 && rng.nextDouble() < 0.7 ? near : town;
      size = addDistinct(picks, size, nearestOfThree(rng, pool, card));
    }
    int[] onlinePicks = new int[onlineCount];
    int onlineSize = 0;
    for (int i = 0; i < onlineCount && online.length > 0; i++) {
      int m = online[rng.nextInt(online.length)];
      onlineSize = addDistinct(onlinePicks, onlineSize, m);
      size = addDistinct(picks, size, m);
    }
    if (size == 0) {
      // No terminal in the home city and no web shop: a tiny world; any terminal will do.
      picks[size++] = rng.nextInt(merchantCount);
    }
    preferred[card] = Arrays.copyOf(picks, size);
    preferredOnline[card] = Arrays.copyOf(onlinePicks, onlineSize);
  }

  /** The nearest to the card's home of three random terminals: people shop close to home. */
  private int nearestOfThree(SplittableRandom rng, int[] pool, int card) {
    int best = -1;
    double bestKm = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      int m = pool[rng.nextInt(pool.length)];
      double km = Geo.distanceKm(homeLat[card], homeLon[card], merchantLat[m], merchantLon[m]);
      if (km < bestKm) {
        best = m;
        bestKm = km;
      }
    }
    return best;
  }

  private static int addDistinct(int[] array, int size, int value) {
    for (int i = 0; i < size; i++) {
      if (array[i] == value) {
        return size;
      }
    }
    array[size] = value;
    return size + 1;
  }

  /**
   * Ids of a fixed width so that they sort as strings in numeric order, e.g. {@code card-00042}.
   */
  static String[] ids(String prefix, int count, int minDigits) {
    int digits = Math.max(minDigits, Integer.toString(Math.max(0, count - 1)).length());
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      ids[i] = prefix + pad(i, digits);
    }
    return ids;
  }

  static String pad(long value, int digits) {
    char[] chars = new char[digits];
    long v = value;
    for (int i = digits - 1; i >= 0; i--) {
      chars[i] = (char) ('0' + (v % 10));
      v /= 10;
    }
    return new String(chars);
  }

  double lat(int merchant) {
    return merchantLat[merchant];
  }

  double lon(int merchant) {
    return merchantLon[merchant];
  }

  boolean located(int merchant) {
    return merchantCity[merchant] >= 0;
  }
}
