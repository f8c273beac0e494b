package io.parity.lakehouse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Which snapshot of each table a reader sees: the latest, a snapshot id, a tag or branch, or the
 * snapshot that was current at a point in time.
 */
public sealed interface AsOf {

  /** Whether this as-of selects anything in the table (a ref or snapshot id it lacks: no). */
  boolean appliesTo(Table table);

  /**
   * The table's snapshot at this as-of, or null when the table had no snapshot then (it reads as
   * empty). Call only when {@link #appliesTo} holds.
   */
  Snapshot snapshotOf(Table table);

  /** A short description, e.g. {@code latest} or {@code tag/branch training-v3}. */
  String describe();

  /** The current snapshot of every table. */
  record Latest() implements AsOf {
    @Override
    public boolean appliesTo(Table table) {
      return true;
    }

    @Override
    public Snapshot snapshotOf(Table table) {
      return table.currentSnapshot();
    }

    @Override
    public String describe() {
      return "latest";
    }
  }

  /** One snapshot; snapshot ids are unique per table, so only the table holding it applies. */
  record SnapshotId(long id) implements AsOf {
    @Override
    public boolean appliesTo(Table table) {
      return table.snapshot(id) != null;
    }

    @Override
    public Snapshot snapshotOf(Table table) {
      return table.snapshot(id);
    }

    @Override
    public String describe() {
      return "snapshot " + id;
    }
  }

  /** A tag or branch; only tables that have a ref with this name apply. */
  record Ref(String name) implements AsOf {
    public Ref {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a tag or branch name must not be blank");
      }
    }

    @Override
    public boolean appliesTo(Table table) {
      return table.refs().containsKey(name);
    }

    @Override
    public Snapshot snapshotOf(Table table) {
      SnapshotRef ref = table.refs().get(name);
      return ref == null ? null : table.snapshot(ref.snapshotId());
    }

    @Override
    public String describe() {
      return "tag/branch " + name;
    }
  }

  /** The snapshot current at this time, per table (no snapshot yet: the table is empty then). */
  record Time(Instant at) implements AsOf {
    public Time {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public boolean appliesTo(Table table) {
      return true;
    }

    @Override
    public Snapshot snapshotOf(Table table) {
      Long id = SnapshotUtil.nullableSnapshotIdAsOfTime(table, at.toEpochMilli());
      return id == null ? null : table.snapshot(id);
    }

    @Override
    public String describe() {
      return "time " + at;
    }
  }

  /** The current snapshot of every table. */
  static AsOf latest() {
    return new Latest();
  }

  /** A snapshot id. */
  static AsOf snapshot(long id) {
    return new SnapshotId(id);
  }

  /** A tag or branch name. */
  static AsOf ref(String name) {
    return new Ref(name);
  }

  /** The snapshots current at a point in time. */
  static AsOf time(Instant at) {
    return new Time(at);
  }

  /**
   * Parses user input: blank or {@code latest}; a number (a snapshot id); an ISO-8601 timestamp
   * with a time part ({@code 2026-11-25T10:00:00Z}, with an offset, or without one meaning UTC);
   * anything else is a tag or branch name.
   */
  static AsOf parse(String text) {
    if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("latest")) {
      return latest();
    }
    String s = text.trim();
    if (s.matches("-?\\d+")) {
      try {
        return snapshot(Long.parseLong(s));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("snapshot id " + s + " is out of range", e);
      }
    }
    if (s.matches("\\d{4}-\\d{2}-\\d{2}[Tt ].*")) {
      return time(parseInstant(s));
    }
    return ref(s);
  }

  private static Instant parseInstant(String s) {
    String iso = s.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso.toUpperCase(Locale.ROOT)).toInstant();
    } catch (DateTimeException notOffset) {
      try {
        return ZonedDateTime.parse(iso).toInstant();
      } catch (DateTimeException notZoned) {
        try {
          return LocalDateTime.parse(iso.toUpperCase(Locale.ROOT)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
          IllegalArgumentException failure =
              new IllegalArgumentException(
                  "'" + s + "' is not an ISO-8601 timestamp (e.g. 2026-11-25T10:00:00Z)", e);
          failure.addSuppressed(notOffset);
          failure.addSuppressed(notZoned);
          throw failure;
        }
      }
    }
  }
}
