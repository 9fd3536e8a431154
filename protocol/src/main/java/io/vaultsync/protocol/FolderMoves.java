package io.vaultsync.protocol;

import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folder moves on the feed. A remote records a folder move ({@link Mutation.MoveFolder}) as one
 * per-file {@link Change.Op#MOVE} per file, with consecutive seqs (so history, snapshots,
 * compaction and every reader that knows only files keep working), and keeps beside them one {@link
 * Change.Op#MOVE_FOLDER} change standing for that run. A reader that asked for folder moves gets
 * the run as that one change: {@link #collapse} is the one place that turns a page of per-file
 * changes into it, for every remote.
 */
public final class FolderMoves {
  /** Where a remote keeps its folder moves. */
  @FunctionalInterface
  public interface Lookup {
    /**
     * The {@link Change.Op#MOVE_FOLDER} changes whose first seq ({@link Change#firstSeq}) is above
     * {@code afterSeq} and at most {@code atMost}, in seq order.
     */
    List<Change> between(long afterSeq, long atMost) throws IOException;
  }

  private FolderMoves() {}

  /**
   * {@code page} (changes after {@code afterSeq}) with each whole run of a folder move that starts
   * in it replaced by its one {@link Change.Op#MOVE_FOLDER} change (a run the page cuts short still
   * becomes that one change, so the next page starts after the run). A run that started at or
   * before {@code afterSeq} stays per file: the reader has seen part of it. Asks {@code lookup}
   * only when the page holds a per-file move.
   */
  public static ChangePage collapse(ChangePage page, long afterSeq, Lookup lookup)
      throws IOException {
    List<Change> changes = page.changes();
    if (changes.stream().noneMatch(c -> c.op() == Change.Op.MOVE)) {
      return page;
    }
    long last = changes.get(changes.size() - 1).seq();
    List<Change> moves = lookup.between(afterSeq, last);
    if (moves.isEmpty()) {
      return page;
    }
    Map<Long, Change> byFirst = new HashMap<>();
    for (Change m : moves) {
      if (m.op() != Change.Op.MOVE_FOLDER) {
        throw new IllegalArgumentException("folder move lookup answered " + m);
      }
      byFirst.put(m.firstSeq(), m);
    }
    List<Change> out = new ArrayList<>(changes.size());
    long skipThrough = -1;
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      if (c.seq() <= skipThrough) {
        continue;
      }
      Change m = byFirst.get(c.seq());
      if (m != null && standsFor(m, changes, i)) {
        out.add(m);
        skipThrough = m.seq();
      } else {
        out.add(c);
      }
    }
    return new ChangePage(out, page.headSeq(), page.horizonSeq(), page.wanted());
  }

  /**
   * Whether the changes from index {@code i} that fall in {@code move}'s run are its per-file
   * moves: a stored folder move that does not match its ledger (a broken row) is not used.
   */
  private static boolean standsFor(Change move, List<Change> changes, int i) {
    NotePath from = move.previousPath();
    for (int j = i; j < changes.size() && changes.get(j).seq() <= move.seq(); j++) {
      Change c = changes.get(j);
      if (c.seq() != move.firstSeq() + (j - i)
          || c.op() != Change.Op.MOVE
          || !c.previousPath().startsWith(from)
          || c.previousPath().equals(from)
          || !c.path()
              .value()
              .equals(
                  move.path().value()
                      + c.previousPath().value().substring(from.value().length()))) {
        return false;
      }
    }
    return true;
  }
}
