package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ledger changes after a seq (oldest first, with no gap) and the server's head seq: what a sync
 * folds over its index, read from the change feed ({@link FeedPages}) or held from a watch loop's
 * subscription ({@link StreamedChanges}).
 */
record ChangesAfter(List<Change> changes, long head) {
  /** Every path a change touched (both ends of a move). */
  Set<NotePath> paths() {
    Set<NotePath> touched = new TreeSet<>();
    for (Change c : changes) {
      touched.add(c.path());
      if (c.previousPath() != null) {
        touched.add(c.previousPath());
      }
    }
    return touched;
  }
}
