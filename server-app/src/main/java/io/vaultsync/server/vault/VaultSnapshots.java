package io.vaultsync.server.vault;

import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.SnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Snapshots of the vaults' heads and the ledger compaction they allow. Taking one is a single
 * SQLite transaction that copies head, so it needs no vault lock and sees no half-applied commit.
 * Without a {@link SnapshotStore} there are none (NOT_FOUND). Thread-safe.
 */
final class VaultSnapshots {
  private final LedgerStore ledger;

  /** Null: this backend keeps no snapshots. */
  private final SnapshotStore snapshots;

  private final VaultChangeFeed feed;
  private final Clock clock;

  VaultSnapshots(LedgerStore ledger, SnapshotStore snapshots, VaultChangeFeed feed, Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.snapshots = snapshots;
    this.feed = Objects.requireNonNull(feed, "feed");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** See {@link VaultTransport#snapshot}. */
  SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    VaultName name = VaultNames.parse(vault);
    if (snapshots == null) {
      ledger.headSeq(name); // NotFoundException for an unknown vault
      throw new NotFoundException("the remote keeps no snapshots (vault \"" + vault + "\")");
    }
    if (createNow) {
      return snapshots.take(name, clock.instant());
    }
    List<SnapshotInfo> kept = snapshots.list(name);
    if (kept.isEmpty()) {
      throw new NotFoundException("vault \"" + vault + "\" keeps no snapshot yet");
    }
    return kept.get(kept.size() - 1);
  }

  /** See {@link VaultTransport#snapshotManifest}. */
  RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    VaultName name = VaultNames.parse(vault);
    if (snapshots == null) {
      ledger.headSeq(name); // NotFoundException for an unknown vault
      throw new NotFoundException(
          "the remote keeps no snapshots (vault \"" + vault + "\", seq " + seq + ")");
    }
    return snapshots.entries(name, seq);
  }

  /**
   * Compacts {@code vault}'s ledger ({@link SnapshotStore#compact}) and makes this server's answers
   * from memory honour the new horizon at once. (A compaction by another process, {@code vaultsync
   * server compact}, is seen within {@link VaultChangeFeed#HORIZON_TTL}; until then recent changes
   * still in memory are served, which are exact.)
   *
   * @throws IllegalStateException if this backend keeps no snapshots
   */
  Compaction compact(VaultName vault, Instant olderThan) throws IOException {
    if (snapshots == null) {
      throw new IllegalStateException("this backend keeps no snapshots, so it cannot compact");
    }
    Compaction c = snapshots.compact(vault, olderThan);
    feed.horizonMoved(vault, c.horizonAfter());
    return c;
  }
}
