package io.parity.lakehouse;

import io.parity.coders.ParityCoders;
import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.ingest.Ingested;
import io.parity.ingest.KafkaRange;
import io.parity.ingest.ParseEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads the bronze tables (the master dataset) back as the parsed events they were ingested from: a
 * tuple of {@link ParseEvents#PAYMENTS} and {@link ParseEvents#LABELS} with their ingestion
 * metadata (source, partition, offset, ingest time), at pinned snapshots.
 *
 * <p>Used by every job that recomputes from bronze (silver/gold, the streaming warm start, the skew
 * check), so they all see the same records. Card ids are the bronze tokens.
 */
public final class ReadBronze extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  private final CatalogConfig catalog;
  private final Snapshots snapshots;

  /** The bronze snapshots a read is pinned to (-1: the table had no snapshot). */
  public record Snapshots(long events, long labels) implements java.io.Serializable {}

  private ReadBronze(CatalogConfig catalog, Snapshots snapshots) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
  }

  /** Reads the bronze snapshots current now (the tables must exist). */
  public static ReadBronze current(CatalogConfig catalog) {
    Catalog c = catalog.open();
    return new ReadBronze(
        catalog,
        new Snapshots(
            snapshotId(c.loadTable(LakehouseTables.BRONZE_EVENTS)),
            snapshotId(c.loadTable(LakehouseTables.BRONZE_LABELS))));
  }

  public static ReadBronze at(CatalogConfig catalog, Snapshots snapshots) {
    return new ReadBronze(catalog, snapshots);
  }

  public Snapshots snapshots() {
    return snapshots;
  }

  private static long snapshotId(Table t) {
    Snapshot s = t.currentSnapshot();
    return s == null ? -1 : s.snapshotId();
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    return PCollectionTuple.of(
            ParseEvents.PAYMENTS,
            input.apply(
                "ReadBronzeEvents",
                new ReadIcebergTable<>(
                        catalog,
                        LakehouseTables.BRONZE_EVENTS,
                        ReadBronze::payment,
                        ParityCoders.IngestedCoder.of(ParityCoders.PaymentEventCoder.of()))
                    .atSnapshot(snapshots.events())))
        .and(
            ParseEvents.LABELS,
            input.apply(
                "ReadBronzeLabels",
                new ReadIcebergTable<>(
                        catalog,
                        LakehouseTables.BRONZE_LABELS,
                        ReadBronze::label,
                        ParityCoders.IngestedCoder.of(ParityCoders.LabelEventCoder.of()))
                    .atSnapshot(snapshots.labels())));
  }

  /**
   * Per partition of a Kafka topic, the offset after the last record of that topic in {@code table}
   * at {@code snapshotId}: where a consumer continues so that no record of the topic is in bronze
   * and read again, and none is skipped (bronze ingests contiguous offset ranges). Partitions with
   * no record in bronze are absent.
   */
  public static Map<Integer, Long> nextOffsets(
      Catalog catalog, TableIdentifier table, long snapshotId, String topic) {
    Map<Integer, Long> next = new TreeMap<>();
    if (snapshotId == -1) {
      return next;
    }
    String source = "kafka:" + topic; // RawRecord.fromKafka's source name
    Table t = catalog.loadTable(table);
    for (Snapshot s = t.snapshot(snapshotId);
        s != null;
        s = s.parentId() == null ? null : t.snapshot(s.parentId())) {
      KafkaRange.endsOf(s.summary().get(WriteToIceberg.SOURCE_ID), topic)
          .forEach((p, end) -> next.merge(p, end, Math::max));
    }
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(t)
            .useSnapshot(snapshotId)
            .select("source", "source_partition", "source_offset")
            .where(Expressions.equal("source", source))
            .build()) {
      for (Record r : rows) {
        Integer partition = (Integer) r.getField("source_partition");
        Long offset = (Long) r.getField("source_offset");
        if (!source.equals(r.getField("source")) || partition == null || offset == null) {
          continue; // the filter prunes files, not necessarily every row
        }
        next.merge(partition, offset + 1, Math::max);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the offsets of " + topic + " in " + table, e);
    }
    return next;
  }

  static long millis(Object timestamptz) {
    return ((OffsetDateTime) timestamptz).toInstant().toEpochMilli();
  }

  /** A bronze event row as the payment it was ingested as (the card id is the token). */
  public static Ingested<PaymentEvent> payment(Record r) {
    PaymentEvent e =
        new PaymentEvent(
            (String) r.getField("event_id"),
            millis(r.getField("event_time")),
            (String) r.getField("card_token"),
            (String) r.getField("merchant_id"),
            (Double) r.getField("amount"),
            (String) r.getField("currency"),
            (String) r.getField("merchant_category"),
            (Double) r.getField("latitude"),
            (Double) r.getField("longitude"),
            (String) r.getField("channel"));
    return ingested(e, r);
  }

  /** A bronze label row as the label it was ingested as. */
  public static Ingested<LabelEvent> label(Record r) {
    LabelEvent l =
        new LabelEvent(
            (String) r.getField("event_id"),
            (Boolean) r.getField("fraud"),
            millis(r.getField("label_time")));
    return ingested(l, r);
  }

  private static <T> Ingested<T> ingested(T value, Record r) {
    Object ingest = r.getField("ingest_time");
    return new Ingested<>(
        value,
        (String) r.getField("source"),
        (Integer) r.getField("source_partition"),
        (Long) r.getField("source_offset"),
        ingest == null ? Arrival.UNKNOWN : millis(ingest));
  }
}
