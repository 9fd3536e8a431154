package io.vaultsync.client.sync;

import io.vaultsync.client.merge.TextFiles;
import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.PathFilter;
import io.vaultsync.model.tree.RejectedFile;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.model.tree.TreeDiff;
import io.vaultsync.model.tree.TreeShape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what a sync does: pure, no I/O. Paths an ignore filter excludes are left out of all three
 * versions, so they are never uploaded, downloaded or deleted on either side (a file that becomes
 * ignored is left alone where it is).
 *
 * <p>Per path it compares three versions: base (the index: what both sides had at the last sync),
 * local (the scan) and remote (the {@link RemoteView}). Decisions use hashes only, never mtimes.
 *
 * <ol>
 *   <li>A path the scan saw changing is skipped (and treated as unchanged for move detection).
 *       While a new file is being written, deletes on the server wait too: the new file may be a
 *       vanished one under a new name, which the next sync can pair and send as a move. A path the
 *       scan could not read at all ({@link ScanResult#unknown()}: a link, a special file, two names
 *       that normalize to it), which the scan names, is skipped too: it is never deleted, uploaded,
 *       downloaded or moved until it is resolved.
 *   <li>Local moves ({@link TreeDiff} of base → local pairs a deleted and an added file by hash)
 *       become {@link SyncAction.MoveRemote} when the remote still has the base version at the
 *       source and nothing at the destination; remote moves likewise become {@link
 *       SyncAction.MoveLocal}. Any other move falls through to the per-path rules, which keep every
 *       version.
 *   <li>Moves with an edit: a file the change feed moved (and perhaps edited after: {@link
 *       RemoteView#movedFrom()}) becomes {@link SyncAction.MoveLocal} plus a {@link
 *       SyncAction.Download} of the edit as a delta against the moved file, when the local file at
 *       the source is still the base version and nothing is at the destination; a local pair of
 *       {@link MovePairs} (a vanished file and a new one whose content is close, found by {@link
 *       MovePairing}) becomes {@link SyncAction.MoveRemote} plus an {@link SyncAction.Upload}
 *       against the moved version, when the server still has the base version at the source and
 *       nothing at the destination. Neither is a delete. (Both move steps: {@link MovePlanner}.)
 *   <li>Per path: local = remote: only the index changes. Only remote changed: download or delete
 *       locally. Only local changed: upload or delete remotely. Both changed: deleted on one side
 *       and edited on the other keeps the edit (download it, or upload it as a new file); else text
 *       is merged and anything else kept both.
 *   <li>A server file new here that this folder cannot hold is skipped and named ({@link
 *       FolderFit#cannotHold}): below a file (here, or on the server too: a tree stored before the
 *       server refused such trees) or where a folder of files is here. The server's files under
 *       names no client can hold ({@code .vaultsync}, {@code .vstmp-*}) are named, never written.
 * </ol>
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  /** The plan that brings local, remote and index together, ignoring nothing. */
  public static SyncPlan plan(LocalIndex index, ScanResult scan, RemoteView remote) {
    return plan(index, scan, remote, PathFilter.NONE);
  }

  /**
   * The plan that brings local, remote and index together, leaving out the files {@code ignore}
   * excludes.
   */
  public static SyncPlan plan(
      LocalIndex index, ScanResult scan, RemoteView remoteAll, PathFilter ignore) {
    return plan(index, scan, remoteAll, ignore, MovePairs.NONE);
  }

  /**
   * As {@link #plan(LocalIndex, ScanResult, RemoteView, PathFilter)}, with the local files {@code
   * pairs} says were moved and edited sent as moves plus uploads of the edits.
   */
  public static SyncPlan plan(
      LocalIndex index, ScanResult scan, RemoteView remoteAll, PathFilter ignore, MovePairs pairs) {
    java.util.function.Predicate<NotePath> ignored = p -> ignore.excludes(p, false);
    RemoteView remote = remoteAll.without(ignored);
    List<NotSynced> leftOut = leftOut(scan, remoteAll, remote);
    Set<NotePath> unstable = new TreeSet<>(scan.unstable());
    unstable.removeIf(ignored);
    // Only paths where base, local and remote do not all agree can need a step; the rest cannot
    // take part in a move either (TreeDiff pairs only deleted and added entries), so the diffs
    // and the per-path rules run over these alone: O(changes) work after one O(n) comparison.
    Set<NotePath> touched = touched(index, scan, remote);
    touched.addAll(unstable);
    // Paths the scan could not read (a link, a special file, a name clash): as unknown as a file
    // that changed while being read, never a delete; the scan names them.
    Set<NotePath> held = new TreeSet<>();
    if (!scan.unknown().isEmpty()) {
      for (NotePath p : touched) {
        if (!unstable.contains(p) && scan.isUnknown(p)) {
          held.add(p);
        }
      }
    }
    List<ManifestEntry> baseEntries = new ArrayList<>();
    List<ManifestEntry> localEntries = new ArrayList<>();
    List<ManifestEntry> remoteEntries = new ArrayList<>();
    for (NotePath p : touched) {
      if (ignored.test(p)) {
        continue;
      }
      IndexEntry b = index.get(p);
      if (b != null) {
        baseEntries.add(b.toManifestEntry());
      }
      ManifestEntry l =
          unstable.contains(p) || held.contains(p)
              ? (b == null ? null : b.toManifestEntry())
              : scan.manifest().asMap().get(p);
      if (l != null) {
        localEntries.add(l);
      }
      Version r = remote.get(p);
      if (r != null) {
        remoteEntries.add(new ManifestEntry(p, r.size(), 0, r.hash()));
      }
    }
    Manifest base = Manifest.of(baseEntries);
    Manifest local = Manifest.of(localEntries);
    Manifest remoteTouched = Manifest.of(remoteEntries);

    List<SyncAction> actions = new ArrayList<>();
    Set<NotePath> done = new HashSet<>();
    for (NotePath u : unstable) {
      actions.add(new SyncAction.Skip(u, "changed while being read"));
      done.add(u);
    }
    for (NotePath h : held) {
      actions.add(
          new SyncAction.Skip(h, "cannot be read here (named below)", NotSynced.Kind.NAME, true));
      done.add(h);
    }

    MovePlanner.plan(
        new MovePlanner.Sides(base, local, remoteTouched, remote, scan.manifest().asMap()),
        pairs,
        done,
        actions);

    Set<NotePath> paths = new TreeSet<>();
    paths.addAll(base.asMap().keySet());
    paths.addAll(local.asMap().keySet());
    paths.addAll(remoteTouched.asMap().keySet());
    NotePath beingWritten =
        unstable.stream().filter(u -> index.get(u) == null).findFirst().orElse(null);
    for (NotePath p : paths) {
      if (done.contains(p)) {
        continue;
      }
      SyncAction a =
          decide(p, hashOf(base.asMap(), p), Version.of(local.asMap().get(p)), remote.get(p));
      if (a instanceof SyncAction.DeleteRemote && beingWritten != null) {
        a =
            new SyncAction.Skip(
                p,
                "its delete waits while "
                    + beingWritten
                    + " is being written (it may be this file under a new name)");
      }
      if (a instanceof SyncAction.Download d && d.localBase() == null) {
        SyncAction.Skip cannot = FolderFit.cannotHold(p, remote, scan.manifest().asMap());
        a = cannot != null ? cannot : a;
      }
      if (a != null) {
        actions.add(a);
      }
    }
    return new SyncPlan(actions, remote, leftOut);
  }

  /**
   * What the sync names before any step: the scan's rejected files (links, special files, invalid
   * or clashing names, unreadable folders) and the server's files under a name no client can hold
   * (which the ignore rules leave out of {@code remote}, so they are looked for only when something
   * was left out).
   */
  private static List<NotSynced> leftOut(ScanResult scan, RemoteView all, RemoteView remote) {
    List<NotSynced> out = new ArrayList<>();
    for (RejectedFile r : scan.rejected()) {
      out.add(new NotSynced(r.name(), NotSynced.Kind.NAME, r.reason()));
    }
    if (remote != all) {
      for (NotePath p : all.files().keySet()) {
        if (!remote.files().containsKey(p)) {
          TreeShape.internalName(p)
              .ifPresent(
                  why ->
                      out.add(
                          new NotSynced(
                              p.value(), NotSynced.Kind.SERVER, "on the server: " + why)));
        }
      }
    }
    return out;
  }

  /**
   * The paths where the index's base, the scan and the server do not all hold the same version
   * (present in one and absent in another, or another hash).
   */
  static Set<NotePath> touched(LocalIndex index, ScanResult scan, RemoteView remote) {
    // One merge walk over the three sorted maps: O(n) comparisons, where a lookup per path in each
    // of the other maps cost O(n log n) (a third of a no-op sync's planning at 50,000 notes).
    Iterator<IndexEntry> bases = index.entries().values().iterator();
    Iterator<ManifestEntry> locals = scan.manifest().asMap().values().iterator();
    Iterator<Map.Entry<NotePath, Version>> remotes = remote.files().entrySet().iterator();
    IndexEntry b = bases.hasNext() ? bases.next() : null;
    ManifestEntry l = locals.hasNext() ? locals.next() : null;
    Map.Entry<NotePath, Version> r = remotes.hasNext() ? remotes.next() : null;
    Set<NotePath> touched = new TreeSet<>();
    while (b != null || l != null || r != null) {
      NotePath p = b != null ? b.path() : null;
      if (l != null && (p == null || l.path().compareTo(p) < 0)) {
        p = l.path();
      }
      if (r != null && (p == null || r.getKey().compareTo(p) < 0)) {
        p = r.getKey();
      }
      IndexEntry base = b != null && b.path().equals(p) ? b : null;
      ManifestEntry local = l != null && l.path().equals(p) ? l : null;
      Version far = r != null && r.getKey().equals(p) ? r.getValue() : null;
      if (base == null
          || local == null
          || far == null
          || !local.hash().equals(base.hash())
          || !far.hash().equals(base.hash())) {
        touched.add(p);
      }
      if (base != null) {
        b = bases.hasNext() ? bases.next() : null;
      }
      if (local != null) {
        l = locals.hasNext() ? locals.next() : null;
      }
      if (far != null) {
        r = remotes.hasNext() ? remotes.next() : null;
      }
    }
    return touched;
  }

  private static SyncAction decide(NotePath p, ContentHash b, Version l, Version r) {
    ContentHash lh = l == null ? null : l.hash();
    ContentHash rh = r == null ? null : r.hash();
    if (Objects.equals(lh, rh)) {
      return Objects.equals(b, lh) ? null : new SyncAction.Record(p, l);
    }
    if (Objects.equals(lh, b)) {
      return r == null ? new SyncAction.DeleteLocal(p, lh) : new SyncAction.Download(p, r, lh);
    }
    if (Objects.equals(rh, b)) {
      return l == null ? new SyncAction.DeleteRemote(p, b) : new SyncAction.Upload(p, rh, l);
    }
    // Both changed, differently.
    if (l == null) {
      return new SyncAction.Download(p, r, null); // deleted here, edited there: keep the edit
    }
    if (r == null) {
      return new SyncAction.Upload(p, null, l); // edited here, deleted there: keep the edit
    }
    if (TextFiles.hasTextExtension(p)) {
      return new SyncAction.Merge(p, b, l, r);
    }
    return new SyncAction.KeepBoth(p, l, r);
  }

  private static ContentHash hashOf(Map<NotePath, ManifestEntry> m, NotePath p) {
    ManifestEntry e = m.get(p);
    return e == null ? null : e.hash();
  }
}
