package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeChange;
import io.vaultsync.model.tree.TreeDiff;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * The moves of a {@link SyncPlanner} plan (pure, no I/O), decided before the per-path rules: a path
 * a move takes (either end) is added to {@code done}, so the per-path rules leave it alone.
 *
 * <ul>
 *   <li>Local moves ({@link TreeDiff} of base to local pairs a deleted and an added file by hash)
 *       become {@link SyncAction.MoveRemote} when the remote still has the base version at the
 *       source and nothing at the destination; remote moves likewise become {@link
 *       SyncAction.MoveLocal} (or, when this folder cannot hold the destination, a skip of both
 *       ends).
 *   <li>A file the change feed moved and perhaps edited ({@link RemoteView#movedFrom()}) becomes
 *       {@link SyncAction.MoveLocal} plus a {@link SyncAction.Download} of the edit; a local pair
 *       of {@link MovePairs} becomes {@link SyncAction.MoveRemote} plus an {@link
 *       SyncAction.Upload} against the moved version. Neither is a delete.
 * </ul>
 *
 * Any other move falls through to the per-path rules, which keep every version.
 */
final class MovePlanner {
  private MovePlanner() {}

  /**
   * The versions of the paths a plan looks at.
   *
   * @param base the index's versions (what both sides had at the last sync)
   * @param local the scan's versions (the index's where the scan could not tell)
   * @param remoteTouched the server's versions of the same paths
   * @param remote the server's whole view (the ignored files left out)
   * @param scanned everything the scan saw
   */
  record Sides(
      Manifest base,
      Manifest local,
      Manifest remoteTouched,
      RemoteView remote,
      NavigableMap<NotePath, ManifestEntry> scanned) {}

  /**
   * Adds the moves of {@code s} (and {@code pairs}) to {@code actions}, their ends to {@code done}.
   */
  static void plan(Sides s, MovePairs pairs, Set<NotePath> done, List<SyncAction> actions) {
    Manifest base = s.base();
    Manifest local = s.local();
    Manifest remoteTouched = s.remoteTouched();
    RemoteView remote = s.remote();
    NavigableMap<NotePath, ManifestEntry> scanned = s.scanned();
    for (TreeChange c : TreeDiff.between(base, local)) {
      if (c instanceof TreeChange.Moved m) {
        NotePath from = m.before().path();
        NotePath to = m.after().path();
        ContentHash h = m.after().hash();
        Version r = remote.get(from);
        if (!done.contains(from)
            && !done.contains(to)
            && r != null
            && r.hash().equals(h)
            && remote.get(to) == null) {
          actions.add(new SyncAction.MoveRemote(from, to, h));
          done.add(from);
          done.add(to);
        }
      }
    }
    for (TreeChange c : TreeDiff.between(base, remoteTouched)) {
      if (c instanceof TreeChange.Moved m) {
        NotePath from = m.before().path();
        NotePath to = m.after().path();
        ContentHash h = m.after().hash();
        ManifestEntry l = local.asMap().get(from);
        if (!done.contains(from)
            && !done.contains(to)
            && l != null
            && l.hash().equals(h)
            && !local.contains(to)) {
          SyncAction.Skip cannot = FolderFit.cannotHold(to, remote, scanned);
          if (cannot != null) {
            // Neither end moves: the source stays here until the target can be written.
            actions.add(cannot);
            actions.add(
                new SyncAction.Skip(
                    from, "moved on the server to " + to + " (named)", cannot.kind(), true));
          } else {
            actions.add(new SyncAction.MoveLocal(from, to, h));
          }
          done.add(from);
          done.add(to);
        }
      }
    }

    for (Map.Entry<NotePath, NotePath> e : remote.movedFrom().entrySet()) {
      NotePath to = e.getKey();
      NotePath from = e.getValue();
      ManifestEntry b = base.asMap().get(from);
      ManifestEntry l = local.asMap().get(from);
      Version r = remote.get(to);
      if (!done.contains(from)
          && !done.contains(to)
          && b != null
          && !base.contains(to)
          && remote.get(from) == null
          && r != null
          && l != null
          && l.hash().equals(b.hash())
          && !local.contains(to)) {
        actions.add(new SyncAction.MoveLocal(from, to, b.hash()));
        if (!r.hash().equals(b.hash())) {
          actions.add(new SyncAction.Download(to, r, b.hash()));
        }
        done.add(from);
        done.add(to);
      }
    }
    for (Map.Entry<NotePath, NotePath> e : pairs.movedFrom().entrySet()) {
      NotePath to = e.getKey();
      NotePath from = e.getValue();
      ManifestEntry b = base.asMap().get(from);
      ManifestEntry l = local.asMap().get(to);
      Version r = remote.get(from);
      if (!done.contains(from)
          && !done.contains(to)
          && b != null
          && !base.contains(to)
          && !local.contains(from)
          && l != null
          && r != null
          && r.hash().equals(b.hash())
          && remote.get(to) == null) {
        actions.add(new SyncAction.MoveRemote(from, to, b.hash()));
        if (!l.hash().equals(b.hash())) {
          actions.add(new SyncAction.Upload(to, b.hash(), Version.of(l)));
        }
        done.add(from);
        done.add(to);
      }
    }
  }
}
