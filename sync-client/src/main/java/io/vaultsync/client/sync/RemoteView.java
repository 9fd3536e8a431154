package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.SortedMaps;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's head state as this client sees it: the bases in the index with the ledger changes
 * since the index's last seq folded over them, or a whole manifest. Also remembers, per path, the
 * first seq that touched it, so a sync that has to skip a path does not advance its last seq past a
 * change it has not applied. Immutable.
 *
 * <p>Folded from the change feed, it also knows what only the changes say: which paths were last
 * changed by a delete a person confirmed ({@link Change#confirmed()}: {@code --allow-mass-delete}
 * on the device that made it), and where a file came from when it was moved (and perhaps edited
 * after: a MOVE a → b then a PUT b), so the planner can move the local file and fetch a delta
 * instead of deleting it and fetching b whole. A view from a manifest or from a snapshot's listing
 * knows neither for the paths they cover: a delete there counts as an unconfirmed one, and a moved
 * and edited file arrives as a delete and a new file.
 */
public final class RemoteView {
  private final NavigableMap<NotePath, Version> files;
  private final Map<NotePath, Long> firstTouch;
  private final Set<NotePath> confirmedDeletes;
  private final Map<NotePath, NotePath> movedFrom;
  private final long headSeq;
  private final long fromSeq;
  private final boolean whole;

  private RemoteView(
      NavigableMap<NotePath, Version> files,
      Map<NotePath, Long> firstTouch,
      Folded folded,
      long headSeq,
      long fromSeq,
      boolean whole) {
    this.files = Collections.unmodifiableNavigableMap(files);
    this.firstTouch = Map.copyOf(firstTouch);
    this.confirmedDeletes = Set.copyOf(folded.confirmedDeletes);
    this.movedFrom = Map.copyOf(folded.movedFrom);
    this.headSeq = headSeq;
    this.fromSeq = fromSeq;
    this.whole = whole;
  }

  /** What folding changes learnt beyond the files: confirmed deletes and move origins. */
  private static final class Folded {
    final Set<NotePath> confirmedDeletes = new HashSet<>();
    final Map<NotePath, NotePath> movedFrom = new HashMap<>();
    long last;
  }

  /**
   * The index's bases with {@code changes} (the ledger after {@code index.lastSeq()}, oldest first,
   * up to {@code headSeq}) applied in order.
   */
  public static RemoteView fold(LocalIndex index, List<Change> changes, long headSeq) {
    TreeMap<NotePath, Version> files =
        SortedMaps.treeOf(
            index.entries().values(), IndexEntry::path, e -> new Version(e.hash(), e.size()));
    Map<NotePath, Long> first = new HashMap<>();
    Folded folded = apply(changes, index.lastSeq(), files, first);
    return new RemoteView(
        files, first, folded, Math.max(headSeq, folded.last), index.lastSeq(), false);
  }

  /**
   * Applies {@code changes} (seqs increasing from after {@code previous}) to {@code files},
   * recording in {@code first} the first seq that touched each path; returns the last seq with the
   * confirmed deletes and move origins the changes left.
   */
  private static Folded apply(
      List<Change> changes,
      long previous,
      Map<NotePath, Version> files,
      Map<NotePath, Long> first) {
    Folded folded = new Folded();
    for (Change c : changes) {
      if (c.seq() <= previous) {
        throw new IllegalArgumentException(
            "change seq " + c.seq() + " after seq " + previous + "; expected increasing seqs");
      }
      previous = c.seq();
      first.putIfAbsent(c.path(), c.seq());
      folded.confirmedDeletes.remove(c.path());
      switch (c.op()) {
        case PUT -> files.put(c.path(), new Version(c.hash(), c.size()));
        case DELETE -> {
          files.remove(c.path());
          folded.movedFrom.remove(c.path());
          if (c.confirmed()) {
            folded.confirmedDeletes.add(c.path());
          }
        }
        case MOVE -> {
          first.putIfAbsent(c.previousPath(), c.seq());
          files.remove(c.previousPath());
          files.put(c.path(), new Version(c.hash(), c.size()));
          NotePath origin = folded.movedFrom.remove(c.previousPath());
          folded.movedFrom.put(c.path(), origin != null ? origin : c.previousPath());
        }
      }
    }
    folded.last = previous;
    return folded;
  }

  /**
   * The head state from a snapshot (the server compacted its ledger past the index's last seq) with
   * {@code tail} (the ledger after the snapshot's seq, oldest first) folded over it. A path whose
   * snapshot version differs from the index's base counts as touched right after the index's last
   * seq, so skipping it keeps the last seq where it was; a path touched only in the tail keeps the
   * tail's seq, as in {@link #fold}.
   */
  public static RemoteView fromSnapshot(
      LocalIndex index, RemoteManifest snapshot, List<Change> tail, long headSeq) {
    if (snapshot.headSeq() < index.lastSeq()) {
      throw new IllegalArgumentException(
          "snapshot at seq "
              + snapshot.headSeq()
              + " is older than the index's seq "
              + index.lastSeq());
    }
    TreeMap<NotePath, Version> files = new TreeMap<>();
    for (RemoteEntry e : snapshot.entries()) {
      files.put(e.path(), new Version(e.hash(), e.size()));
    }
    Map<NotePath, Long> first = new HashMap<>();
    long beforeSnapshot = index.lastSeq() + 1;
    for (NotePath p : files.keySet()) {
      IndexEntry base = index.get(p);
      if (base == null || !base.hash().equals(files.get(p).hash())) {
        first.put(p, beforeSnapshot);
      }
    }
    for (NotePath p : index.entries().keySet()) {
      if (!files.containsKey(p)) {
        first.put(p, beforeSnapshot);
      }
    }
    Folded folded = apply(tail, snapshot.headSeq(), files, first);
    return new RemoteView(
        files, first, folded, Math.max(headSeq, folded.last), index.lastSeq(), false);
  }

  /** The head state from a whole manifest. */
  public static RemoteView of(RemoteManifest manifest, long fromSeq) {
    TreeMap<NotePath, Version> files = new TreeMap<>();
    for (RemoteEntry e : manifest.entries()) {
      files.put(e.path(), new Version(e.hash(), e.size()));
    }
    return new RemoteView(files, Map.of(), new Folded(), manifest.headSeq(), fromSeq, true);
  }

  /**
   * This view without the paths {@code left} out (ignored paths), as if the server did not have
   * them; the seqs stay as they are.
   */
  public RemoteView without(java.util.function.Predicate<NotePath> left) {
    // Most syncs leave nothing out: look before copying the whole map (50,000 entries at 50k).
    if (files.keySet().stream().noneMatch(left)) {
      return this;
    }
    TreeMap<NotePath, Version> kept = new TreeMap<>(files);
    kept.keySet().removeIf(left);
    Folded folded = new Folded();
    folded.confirmedDeletes.addAll(confirmedDeletes);
    movedFrom.forEach(
        (to, from) -> {
          if (!left.test(to) && !left.test(from)) {
            folded.movedFrom.put(to, from);
          }
        });
    return new RemoteView(kept, firstTouch, folded, headSeq, fromSeq, whole);
  }

  /** The version at {@code path}, or null. */
  public Version get(NotePath path) {
    return files.get(path);
  }

  /**
   * Whether the latest change at {@code path} the view was folded from is a delete a person
   * confirmed ({@link Change#confirmed()}); false when the view does not know (a manifest).
   */
  public boolean deleteConfirmed(NotePath path) {
    return confirmedDeletes.contains(path);
  }

  /**
   * Where the file now at each path came from, for the files that changes moved here (and perhaps
   * edited after the move): destination → the path it had in the base. Empty for a manifest.
   */
  public Map<NotePath, NotePath> movedFrom() {
    return movedFrom;
  }

  public NavigableMap<NotePath, Version> files() {
    return files;
  }

  /** The seq this view is current at. */
  public long headSeq() {
    return headSeq;
  }

  /**
   * The highest last-seq a client may record if it did not apply {@code skipped}: just before the
   * first change that touched one of them (from a whole manifest: the previous last seq).
   */
  public long safeSeq(Iterable<NotePath> skipped) {
    long safe = headSeq;
    for (NotePath p : skipped) {
      if (whole) {
        return Math.min(safe, fromSeq);
      }
      Long t = firstTouch.get(p);
      if (t != null) {
        safe = Math.min(safe, t - 1);
      }
    }
    return safe;
  }

  /** As a manifest (mtimes 0), for {@code TreeDiff}. */
  public Manifest manifest() {
    List<ManifestEntry> entries = new ArrayList<>(files.size());
    files.forEach((p, v) -> entries.add(new ManifestEntry(p, v.size(), 0, v.hash())));
    return Manifest.of(entries);
  }

  @Override
  public String toString() {
    return "RemoteView[" + files.size() + " files at seq " + headSeq + "]";
  }
}
