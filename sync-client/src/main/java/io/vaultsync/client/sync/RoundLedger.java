package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bookkeeping of one round of {@link SyncExecutor}: the files left out of the sync (named,
 * their remote changes left unapplied), the seqs the server applied, how many steps it refused as
 * stale, and the remote steps the progress listener has not heard of as done yet. From these it
 * gives the seq the index may record at the end of the round.
 *
 * <p>One instance per round; not thread-safe.
 */
final class RoundLedger {
  private final SyncTally tally;
  private final SyncProgress progress;

  /** Planned remote steps not reported done yet, by path, with their content bytes. */
  private final Map<NotePath, Long> pendingRemote = new LinkedHashMap<>();

  private final Set<NotePath> skipped = new TreeSet<>();
  private final List<Long> appliedSeqs = new ArrayList<>();
  private int stale;

  RoundLedger(SyncTally tally, SyncProgress progress) {
    this.tally = tally;
    this.progress = progress;
  }

  /** Tells the progress listener what this round will do; remote steps are reported when done. */
  void announce(SyncPlan plan) {
    int steps = 0;
    long bytes = 0;
    for (SyncAction a : plan.actions()) {
      long n = contentBytes(a);
      if (isRemote(a)) {
        if (pendingRemote.putIfAbsent(a.path(), n) != null) {
          continue; // one report per path
        }
      }
      steps++;
      bytes += n;
    }
    progress.planned(steps, bytes);
  }

  /** Whether {@code a} is done on the server (and reported done after its batch). */
  static boolean isRemote(SyncAction a) {
    return a instanceof SyncAction.MoveRemote
        || a instanceof SyncAction.DeleteRemote
        || a instanceof SyncAction.Upload;
  }

  /** The bytes of content a step reads or writes (0 for moves, deletes and skips). */
  static long contentBytes(SyncAction a) {
    if (a instanceof SyncAction.Upload u) {
      return u.local().size();
    } else if (a instanceof SyncAction.Download d) {
      return d.remote().size();
    } else if (a instanceof SyncAction.Merge m) {
      return m.local().size() + m.remote().size();
    } else if (a instanceof SyncAction.KeepBoth k) {
      return k.local().size() + k.remote().size();
    } else if (a instanceof SyncAction.Record r) {
      return r.now() != null ? r.now().size() : 0;
    }
    return 0;
  }

  /** A local step (or a small download) is over: the progress listener hears it. */
  void fileDone(NotePath path, long bytes) {
    progress.fileDone(path, bytes);
  }

  /** A planned remote step is over (done, skipped or stale). */
  void remoteDone(NotePath path) {
    Long n = pendingRemote.remove(path);
    if (n != null) {
      progress.fileDone(path, n);
    }
  }

  /** The remote steps are over: the ones not reported yet (stale, duplicate, not reached) are. */
  void remoteStepsOver() {
    pendingRemote.forEach(progress::fileDone);
    pendingRemote.clear();
  }

  /**
   * The server refused {@code path}: no client could hold it there (below a file, where a folder of
   * files is). Named; not retried in this sync.
   */
  void refused(NotePath path, String reason) {
    skip(path, NotSynced.Kind.SERVER, "the server refused it: " + reason);
  }

  /** Leaves {@code path} for the next sync ({@link NotSynced.Kind#RETRY}). */
  void skip(NotePath path, String reason) {
    skip(path, NotSynced.Kind.RETRY, reason);
  }

  /** Leaves {@code path} out of this sync, saying why; its remote changes stay unapplied. */
  void skip(NotePath path, NotSynced.Kind kind, String reason) {
    leaveOut(new NotSynced(path.value(), kind, reason));
  }

  /** Leaves {@code file} out of this sync; its remote changes stay unapplied. */
  void leaveOut(NotSynced file) {
    skipped.add(NotePath.of(file.path()));
    tally.leaveOut(file);
  }

  /** Holds {@code path} back without naming it (the plan's left-out files already name it). */
  void holdBack(NotePath path) {
    skipped.add(path);
  }

  /** The server applied a change of this round as {@code seq}. */
  void applied(long seq) {
    appliedSeqs.add(seq);
  }

  /** The server refused a step as stale (a re-plan is due). */
  void stale() {
    stale++;
  }

  /** How many steps the server refused as stale. */
  int staleCount() {
    return stale;
  }

  /**
   * The seq the index may record after this round: the last one before any change left out, and,
   * when nothing was left out, past the consecutive seqs this round's own changes got.
   */
  long lastSeq(RemoteView remote) {
    long seq = remote.safeSeq(skipped);
    if (seq == remote.headSeq()) {
      appliedSeqs.sort(null);
      for (long s : appliedSeqs) {
        if (s == seq + 1) {
          seq = s;
        } else if (s > seq) {
          break;
        }
      }
    }
    return Math.max(seq, 0);
  }
}
