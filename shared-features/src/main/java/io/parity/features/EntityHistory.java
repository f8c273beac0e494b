package io.parity.features;

import io.parity.events.PaymentEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one entity (one card, one terminal) remembers: its recent payments sorted by (event time,
 * event id), each with its latest applied label. Mutable; owned by one key of one pipeline stage.
 */
public final class EntityHistory {

  /** Label states of a remembered payment. */
  static final byte NO_LABEL = -1;

  static final byte LEGIT = 0;
  static final byte FRAUD = 1;

  /** A remembered payment. */
  public static final class Entry {
    final PaymentEvent event;
    byte label;

    Entry(PaymentEvent event, byte label) {
      this.event = event;
      this.label = label;
    }

    public PaymentEvent event() {
      return event;
    }

    /** -1: no label yet, 0: legitimate, 1: fraud. */
    public byte label() {
      return label;
    }
  }

  private final ArrayList<Entry> entries = new ArrayList<>();
  private final Map<String, Entry> byId = new HashMap<>();

  public EntityHistory() {}

  /** Rebuilds a history from its entries (in (time, id) order), e.g. after decoding state. */
  public static EntityHistory of(List<Entry> entries) {
    EntityHistory h = new EntityHistory();
    for (Entry e : entries) {
      h.entries.add(e);
      h.byId.put(e.event.eventId(), e);
    }
    return h;
  }

  public static Entry entry(PaymentEvent event, byte label) {
    return new Entry(event, label);
  }

  /** Entries in (event time, event id) order. */
  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  Entry get(int i) {
    return entries.get(i);
  }

  Entry byId(String eventId) {
    return byId.get(eventId);
  }

  /** Index of the first entry whose (time, id) is not less than the given one. */
  int lowerBound(long time, String id) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      PaymentEvent m = entries.get(mid).event;
      int c = Long.compare(m.eventTimeMillis(), time);
      if (c == 0) {
        c = m.eventId().compareTo(id);
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Index of the first entry in {@code [0, end)} whose time is greater than {@code time}. */
  int firstAfter(long time, int end) {
    int lo = 0;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).event.eventTimeMillis() <= time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  void insert(int index, PaymentEvent event) {
    Entry e = new Entry(event, NO_LABEL);
    entries.add(index, e);
    byId.put(event.eventId(), e);
  }

  /**
   * Forgets entries whose event time is more than {@code retentionMillis} before the newest
   * entry's, which is always kept.
   */
  void evictOlderThan(long retentionMillis) {
    if (entries.isEmpty()) {
      return;
    }
    long horizon = entries.get(entries.size() - 1).event.eventTimeMillis() - retentionMillis;
    int keepFrom = Math.min(firstAfter(horizon - 1, entries.size()), entries.size() - 1);
    if (keepFrom <= 0) {
      return;
    }
    for (int i = 0; i < keepFrom; i++) {
      byId.remove(entries.get(i).event.eventId());
    }
    entries.subList(0, keepFrom).clear();
  }
}
