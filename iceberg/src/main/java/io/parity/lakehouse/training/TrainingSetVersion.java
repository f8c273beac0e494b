package io.parity.lakehouse.training;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The manifest of one training-set version: what it is (name, version, tag, snapshot), how it was
 * made (fingerprint, time range, as-of, policy, splits, source snapshots) and what it holds (counts
 * and frozen statistics). Stored as JSON in the table property {@code parity.manifest.v<N>}.
 *
 * @param table the Iceberg table, {@code training.<name>}
 * @param snapshotId the table snapshot the tag points to
 * @param createdAt when that snapshot was committed
 * @param sourceSnapshots the current snapshot of bronze.events, bronze.labels and silver.features
 *     at creation (null for a table that did not exist or had no snapshot)
 * @param rows rows in the set
 * @param rowsPerSplit rows per split, in the splits' order (empty without splits)
 * @param droppedOutsideSplits labelled rows in {@code [from, to)} outside every split
 * @param features the feature columns, in column order
 * @param statsComputedOn {@code train} (the train split) or {@code all} (every row)
 * @param statsRows how many rows the statistics were computed over
 */
@JsonPropertyOrder({
  "manifestVersion",
  "name",
  "version",
  "tag",
  "table",
  "snapshotId",
  "createdAt",
  "specFingerprint",
  "from",
  "to",
  "asOf",
  "unlabeledPolicy",
  "splits",
  "sourceSnapshots",
  "rows",
  "rowsPerSplit",
  "droppedOutsideSplits",
  "labels",
  "features",
  "statsComputedOn",
  "statsRows",
  "statistics"
})
public record TrainingSetVersion(
    int manifestVersion,
    String name,
    int version,
    String tag,
    String table,
    long snapshotId,
    Instant createdAt,
    String specFingerprint,
    Instant from,
    Instant to,
    Instant asOf,
    UnlabeledPolicy unlabeledPolicy,
    List<Split> splits,
    Map<String, Long> sourceSnapshots,
    long rows,
    Map<String, Long> rowsPerSplit,
    long droppedOutsideSplits,
    LabelCounts labels,
    List<String> features,
    String statsComputedOn,
    long statsRows,
    Map<String, FeatureStats> statistics) {

  /**
   * How the rows' labels were decided.
   *
   * @param fraud rows labelled fraud
   * @param legit rows with a known legitimate label
   * @param unlabeledNegative rows without a label known at as-of, kept as legitimate (NEGATIVE)
   * @param excluded events without a label known at as-of, dropped (EXCLUDE)
   */
  @JsonPropertyOrder({"fraud", "legit", "unlabeledNegative", "excluded"})
  public record LabelCounts(long fraud, long legit, long unlabeledNegative, long excluded) {}
}
