package io.vaultsync.server.snapshot;

import java.time.Duration;
import java.util.Objects;

/**
 * When the server takes snapshots, how many it keeps and how old ledger rows must be before it
 * compacts them by itself.
 *
 * @param every a vault whose newest snapshot is this old (or that has none) gets a new one when its
 *     head moved; {@link Duration#ZERO}: no scheduled snapshots (on request only)
 * @param keep snapshots kept per vault, newest first, at least 1
 * @param compactAfter automatic compaction deletes ledger rows only when they are older than this
 *     (and never past the oldest kept snapshot); null: no automatic compaction. The ledger is also
 *     the version history, so the default keeps 30 days of it
 */
public record SnapshotPolicy(Duration every, int keep, Duration compactAfter) {
  /** Every 6 hours, keep 4 (a day's worth), compact what is older than 30 days. */
  public static final SnapshotPolicy DEFAULT =
      new SnapshotPolicy(Duration.ofHours(6), 4, Duration.ofDays(30));

  public SnapshotPolicy {
    Objects.requireNonNull(every, "every");
    if (every.isNegative()) {
      throw new IllegalArgumentException(
          "snapshot interval " + every + "; expected 0 (off) or more");
    }
    if (keep < 1) {
      throw new IllegalArgumentException("keeping " + keep + " snapshots; expected at least 1");
    }
    if (compactAfter != null && compactAfter.isNegative()) {
      throw new IllegalArgumentException(
          "compaction age " + compactAfter + "; expected 0 or more, or off");
    }
  }

  /** How often the scheduler looks: the interval, at most every 10 minutes. */
  public Duration tick() {
    Duration max = Duration.ofMinutes(10);
    return every.isZero() || every.compareTo(max) > 0 ? max : every;
  }
}
