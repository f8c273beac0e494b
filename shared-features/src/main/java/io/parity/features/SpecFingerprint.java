package io.parity.features;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The content hash of a {@link FeatureSpec} that feature rows, training sets and models carry:
 * serving refuses a model whose fingerprint differs from the running spec's.
 *
 * <p>It covers everything that decides a feature value (time zone, lateness knobs, entities, every
 * definition) and nothing else: not the spec's name, not the order of entities or features, not how
 * a file was written (formatting, comments, defaults written out or omitted). Night hours count
 * only for {@code night}, the one calendar kind that reads them. Changing {@link #canonicalForm}
 * changes every fingerprint: bump its version line when you must.
 */
public final class SpecFingerprint {

  private static final String VERSION = "parity-feature-spec-fingerprint/1";

  private SpecFingerprint() {}

  /** {@code sha256:} and the first 16 hex digits of the SHA-256 of {@link #canonicalForm}. */
  public static String of(FeatureSpec spec) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalForm(spec).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /**
   * The text the fingerprint hashes: one line per fact, entities and features sorted by name,
   * durations in milliseconds, enums by Java name, strings JSON-quoted (so no value can forge a
   * separator). Shown by tools to explain why two fingerprints differ.
   */
  public static String canonicalForm(FeatureSpec spec) {
    StringBuilder out = new StringBuilder(VERSION).append('\n');
    out.append("time_zone ").append(quote(spec.timeZone().getId())).append('\n');
    out.append("allowed_lateness_ms ").append(spec.allowedLateness().toMillis()).append('\n');
    out.append("max_lateness_ms ").append(spec.maxLateness().toMillis()).append('\n');
    if (!spec.labelApplyDelay().isZero()) {
      // Only when set, so specs without it keep the fingerprints they always had.
      out.append("label_apply_delay_ms ").append(spec.labelApplyDelay().toMillis()).append('\n');
    }
    List<Map.Entry<String, io.parity.events.Field>> entities =
        new ArrayList<>(spec.entities().entrySet());
    entities.sort(Map.Entry.comparingByKey());
    for (Map.Entry<String, io.parity.events.Field> e : entities) {
      out.append("entity ")
          .append(quote(e.getKey()))
          .append(" field=")
          .append(e.getValue().name())
          .append('\n');
    }
    List<FeatureDefinition> features = new ArrayList<>(spec.features());
    features.sort(Comparator.comparing(FeatureDefinition::name));
    for (FeatureDefinition f : features) {
      out.append("feature ").append(quote(f.name())).append(' ').append(describe(f)).append('\n');
    }
    return out.toString();
  }

  /** Every attribute of one definition, in a fixed order per kind. */
  private static String describe(FeatureDefinition f) {
    if (f instanceof FeatureDefinition.Aggregate a) {
      return "aggregate entity="
          + quote(a.entity())
          + " function="
          + a.function().name()
          + " field="
          + (a.field() == null ? "null" : a.field().name())
          + " window_ms="
          + a.window().toMillis()
          + " delay_ms="
          + a.delay().toMillis();
    } else if (f instanceof FeatureDefinition.LabelAggregate l) {
      return "label_aggregate entity="
          + quote(l.entity())
          + " function="
          + l.function().name()
          + " window_ms="
          + l.window().toMillis()
          + " delay_ms="
          + l.delay().toMillis();
    } else if (f instanceof FeatureDefinition.TimeSinceLast t) {
      return "time_since_last entity=" + quote(t.entity());
    } else if (f instanceof FeatureDefinition.AmountToMean m) {
      return "amount_to_mean entity="
          + quote(m.entity())
          + " window_ms="
          + m.window().toMillis()
          + " delay_ms="
          + m.delay().toMillis();
    } else if (f instanceof FeatureDefinition.Calendar c) {
      // Only `night` reads the hours: other kinds with other hours compute the same values.
      return c.kind() == FeatureDefinition.CalendarKind.NIGHT
          ? "calendar kind=NIGHT night_start_hour="
              + c.nightStartHour()
              + " night_end_hour="
              + c.nightEndHour()
          : "calendar kind=" + c.kind().name();
    } else if (f instanceof FeatureDefinition.Geo g) {
      return "geo entity=" + quote(g.entity()) + " kind=" + g.kind().name();
    } else if (f instanceof FeatureDefinition.Categorical c) {
      // Vocabulary order decides the indexes, so it is hashed as written.
      StringBuilder v = new StringBuilder("categorical field=").append(c.field().name());
      v.append(" vocabulary=[");
      for (int i = 0; i < c.vocabulary().size(); i++) {
        v.append(i == 0 ? "" : ",").append(quote(c.vocabulary().get(i)));
      }
      return v.append(']').toString();
    }
    throw new IllegalStateException("no fingerprint for " + f.getClass().getName());
  }

  private static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }
}
