package io.vaultsync.client.sync;

import io.vaultsync.model.tree.IllegalNotePathException;
import io.vaultsync.model.tree.NotePath;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a watch session names as not synced, kept whole across its scoped cycles. A scoped
 * cycle looks at part of the folder (the paths its events named and the server's changes), so it
 * finds only that part's left-out files; for every other path the list as it was still stands. Not
 * thread-safe.
 */
final class LeftOutMemory {
  private List<NotSynced> last = List.of();

  /**
   * The list to report after a sync that named {@code now} having looked at {@code looked}: {@code
   * now} after a full look; else the earlier list's files outside {@code looked}, then {@code now}.
   */
  List<NotSynced> after(List<NotSynced> now, LocalScope looked) {
    if (looked.full()) {
      last = List.copyOf(now);
      return last;
    }
    List<NotSynced> out = new ArrayList<>();
    for (NotSynced n : last) {
      if (!covers(looked, n.path()) && !now.contains(n)) {
        out.add(n);
      }
    }
    out.addAll(now);
    last = List.copyOf(out);
    return last;
  }

  /** Whether {@code looked} covers the file named {@code path} (a name on disk or a note path). */
  private static boolean covers(LocalScope looked, String path) {
    try {
      return looked.covers(NotePath.of(path));
    } catch (IllegalNotePathException e) {
      return false; // not a note path: only a full scan looks at it again
    }
  }
}
