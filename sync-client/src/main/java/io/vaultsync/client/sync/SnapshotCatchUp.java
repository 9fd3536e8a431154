package io.vaultsync.client.sync;

import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;

/**
 * Catch-up of a client whose last seq is below the server's compacted horizon: the newest
 * snapshot's entries plus the ledger after the snapshot's seq ({@link RemoteView#fromSnapshot}).
 * Deletes and moves in the gap show up as differences between the index's bases and the snapshot,
 * so the planner replays them exactly (a file deleted remotely and unchanged locally is deleted;
 * one edited locally is kept).
 */
final class SnapshotCatchUp {
  private SnapshotCatchUp() {}

  /**
   * The remote view from the newest snapshot and the ledger after it, or null when the server has
   * no usable snapshot (none kept, pruned meanwhile, or compacted past it again): the caller then
   * falls back to the whole manifest.
   */
  static RemoteView view(VaultTransport transport, String vault, LocalIndex index)
      throws IOException {
    SnapshotInfo snap;
    RemoteManifest entries;
    try {
      snap = transport.snapshot(vault, false);
      if (snap.seq() < index.lastSeq()) {
        return null;
      }
      entries = transport.snapshotManifest(vault, snap.seq());
    } catch (NotFoundException e) {
      return null;
    }
    FeedPages.Read tail = FeedPages.after(transport, vault, snap.seq(), null);
    if (tail.changes() == null) {
      return null;
    }
    return RemoteView.fromSnapshot(index, entries, tail.changes().changes(), tail.changes().head());
  }
}
