package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;

/**
 * Hears how far a sync has got, so a terminal can draw a progress bar without the sync code knowing
 * about terminals. Every planned step (a file to upload, download, merge, move, delete or record)
 * is reported done exactly once, whether it succeeded, was skipped until the next sync or was
 * refused as stale; a sync that needs another round (the server moved on meanwhile) announces that
 * round's steps with another {@link #planned} call, whose totals add to the earlier ones. Called on
 * the syncing thread; implementations must be quick and must not throw.
 */
public interface SyncProgress {
  /** Hears nothing: the default. */
  SyncProgress NONE = new SyncProgress() {};

  /**
   * A round will take {@code files} more steps moving about {@code bytes} more bytes of content.
   */
  default void planned(int files, long bytes) {}

  /** The step for {@code path}, which moved {@code bytes} of content, is done. */
  default void fileDone(NotePath path, long bytes) {}

  /** The sync is over (also after a failure). */
  default void finished() {}
}
