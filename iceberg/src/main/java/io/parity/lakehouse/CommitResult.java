package io.parity.lakehouse;

import java.io.Serializable;

/**
 * What one {@link WriteToIceberg} run committed: the new snapshot ({@code -1} when nothing was
 * committed), how many data files and records it added, and whether it was skipped because a
 * snapshot with the same source id already exists.
 */
public record CommitResult(
    String table, long snapshotId, int dataFiles, long records, boolean skipped)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Whether a snapshot was committed. */
  public boolean committed() {
    return snapshotId != -1;
  }
}
