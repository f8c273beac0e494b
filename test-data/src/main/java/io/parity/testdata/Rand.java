package io.parity.testdata;

import java.util.SplittableRandom;

/**
 * Seeded random helpers. Everything goes through {@link StrictMath} so that a seed gives the same
 * bytes on every JVM and platform ({@link Math} may differ in the last bit).
 */
final class Rand {

  private Rand() {}

  /** A well-mixed seed for an independent stream, derived from the user's seed and a path. */
  static long seed(long seed, long a, long b, long c) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ a);
    h = mix(h ^ (b * 0xC2B2AE3D27D4EB4FL));
    return mix(h ^ (c * 0x165667B19E3779F9L));
  }

  static SplittableRandom stream(long seed, long a, long b, long c) {
    return new SplittableRandom(seed(seed, a, b, c));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Standard normal (Box-Muller, one value per call). */
  static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log stays finite
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** Exponential with the given mean. */
  static double exponential(SplittableRandom rng, double mean) {
    return -mean * StrictMath.log(1.0 - rng.nextDouble());
  }

  /** Log-normal with the given median and sigma of the log. */
  static double logNormal(SplittableRandom rng, double median, double sigma) {
    return median * StrictMath.exp(sigma * gaussian(rng));
  }

  static double uniform(SplittableRandom rng, double low, double high) {
    return low + (high - low) * rng.nextDouble();
  }

  /** Poisson-distributed count (normal approximation above a mean of 30). */
  static int poisson(SplittableRandom rng, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + StrictMath.sqrt(mean) * gaussian(rng)));
    }
    double limit = StrictMath.exp(-mean);
    double product = rng.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= rng.nextDouble();
      count++;
    }
    return count;
  }

  /** An index drawn with probability proportional to the (non-negative) weights. */
  static int weighted(SplittableRandom rng, double[] cumulative) {
    double u = rng.nextDouble() * cumulative[cumulative.length - 1];
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > u) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  static double[] cumulative(double[] weights) {
    double[] cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      cumulative[i] = sum;
    }
    return cumulative;
  }
}
