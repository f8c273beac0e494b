package io.parity.lakehouse.training;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A named half-open event-time range {@code [from, to)} of a training set, e.g. train. */
@JsonPropertyOrder({"name", "from", "to"})
public record Split(String name, Instant from, Instant to) {
  public Split {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "split name '" + name + "' must be a letter followed by letters, digits or _");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          "split " + name + ": its start " + from + " is not before its end " + to);
    }
  }

  /** Whether an event time falls in {@code [from, to)}. */
  public boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }

  /**
   * Parses {@code name:FROM..TO[,name:FROM..TO...]}, times as accepted by {@link
   * TrainingSets#parseTime}; e.g. {@code
   * train:2026-01-01..2026-01-20,valid:2026-01-20..2026-01-27}.
   */
  public static List<Split> parseList(String text) {
    List<Split> splits = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return splits;
    }
    for (String part : text.split(",")) {
      String p = part.trim();
      int colon = p.indexOf(':');
      int dots = p.indexOf("..");
      if (colon <= 0 || dots < colon) {
        throw new IllegalArgumentException(
            "split '" + p + "' is not name:FROM..TO (e.g. train:2026-01-01..2026-01-20)");
      }
      splits.add(
          new Split(
              p.substring(0, colon).trim(),
              TrainingSets.parseTime(p.substring(colon + 1, dots)),
              TrainingSets.parseTime(p.substring(dots + 2))));
    }
    return splits;
  }

  /**
   * Checks that the splits have distinct names, lie inside {@code [from, to)} and do not overlap.
   *
   * @throws IllegalArgumentException naming the offending split(s)
   */
  static void validate(List<Split> splits, Instant from, Instant to) {
    Set<String> names = new HashSet<>();
    for (Split s : splits) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("split " + s.name() + " is given twice");
      }
      if (s.from().isBefore(from) || s.to().isAfter(to)) {
        throw new IllegalArgumentException(
            "split "
                + s.name()
                + " ["
                + s.from()
                + ", "
                + s.to()
                + ") is not inside the set's range ["
                + from
                + ", "
                + to
                + ")");
      }
    }
    List<Split> sorted = new ArrayList<>(splits);
    sorted.sort(Comparator.comparing(Split::from));
    for (int i = 1; i < sorted.size(); i++) {
      Split a = sorted.get(i - 1);
      Split b = sorted.get(i);
      if (b.from().isBefore(a.to())) {
        throw new IllegalArgumentException(
            "splits "
                + a.name()
                + " ["
                + a.from()
                + ", "
                + a.to()
                + ") and "
                + b.name()
                + " ["
                + b.from()
                + ", "
                + b.to()
                + ") overlap");
      }
    }
  }
}
