package io.parity.testdata;

/** Great-circle distances and small offsets on the sphere (deterministic: {@link StrictMath}). */
final class Geo {

  static final double EARTH_RADIUS_KM = 6371.0088;
  static final double KM_PER_DEGREE_LATITUDE = 111.2;

  private Geo() {}

  /** Haversine distance in kilometres. */
  static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
    double phi1 = StrictMath.toRadians(lat1);
    double phi2 = StrictMath.toRadians(lat2);
    double dPhi = phi2 - phi1;
    double dLambda = StrictMath.toRadians(lon2 - lon1);
    double a =
        StrictMath.sin(dPhi / 2) * StrictMath.sin(dPhi / 2)
            + StrictMath.cos(phi1)
                * StrictMath.cos(phi2)
                * StrictMath.sin(dLambda / 2)
                * StrictMath.sin(dLambda / 2);
    return 2 * EARTH_RADIUS_KM * StrictMath.asin(StrictMath.min(1.0, StrictMath.sqrt(a)));
  }

  static double offsetLatitude(double lat, double northKm) {
    return lat + northKm / KM_PER_DEGREE_LATITUDE;
  }

  static double offsetLongitude(double lat, double lon, double eastKm) {
    return lon + eastKm / (KM_PER_DEGREE_LATITUDE * StrictMath.cos(StrictMath.toRadians(lat)));
  }

  /** Rounds to 6 decimals (about 0.1 m) so files stay short and parse back to the same double. */
  static double round6(double degrees) {
    return Math.round(degrees * 1_000_000.0) / 1_000_000.0;
  }
}
