package io.vaultsync.client.state;

import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.SortedMaps;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The base of every synced file plus the last ledger sequence number applied: what three-way sync
 * compares both sides with. Persisted by {@link IndexStore} (a snapshot plus a journal), which
 * writes only what changed since the index was read or last saved: the index remembers the paths
 * put or removed since then. Mutable; not thread-safe.
 */
public final class LocalIndex {
  private final TreeMap<NotePath, IndexEntry> entries;
  private final Set<NotePath> unsaved = new HashSet<>();
  private long lastSeq;
  private boolean seqUnsaved;
  private IndexStamp stamp;

  /** An empty index at seq 0 (nothing synced). */
  public LocalIndex() {
    entries = new TreeMap<>();
  }

  /** An index holding {@code entries} at {@code lastSeq}. */
  public LocalIndex(long lastSeq, Collection<IndexEntry> entries) {
    setLastSeq(lastSeq);
    TreeMap<NotePath, IndexEntry> sorted = null;
    try {
      // An index file lists its entries in path order: built in O(n), not O(n log n).
      sorted = SortedMaps.treeOf(entries, IndexEntry::path, e -> e);
    } catch (IllegalArgumentException outOfOrder) {
      // Not in order: built by inserts below, which name a path listed twice.
    }
    if (sorted != null) {
      this.entries = sorted;
      return;
    }
    this.entries = new TreeMap<>();
    for (IndexEntry e : entries) {
      if (this.entries.put(e.path(), e) != null) {
        throw new IllegalArgumentException("index lists \"" + e.path() + "\" twice");
      }
    }
  }

  public long lastSeq() {
    return lastSeq;
  }

  public void setLastSeq(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("last seq " + seq + "; expected >= 0");
    }
    if (seq != lastSeq) {
      seqUnsaved = true;
    }
    this.lastSeq = seq;
  }

  public IndexEntry get(NotePath path) {
    return entries.get(path);
  }

  public void put(IndexEntry entry) {
    IndexEntry old = entries.put(Objects.requireNonNull(entry, "entry").path(), entry);
    if (!entry.equals(old)) {
      unsaved.add(entry.path());
    }
  }

  public void remove(NotePath path) {
    if (entries.remove(path) != null) {
      unsaved.add(path);
    }
  }

  /** Entries by path, unmodifiable, live. */
  public NavigableMap<NotePath, IndexEntry> entries() {
    return Collections.unmodifiableNavigableMap(entries);
  }

  public int size() {
    return entries.size();
  }

  /**
   * A separate index at this seq holding only the entries at or under {@code roots} (a file, or a
   * folder with everything under it): O(roots × log n + entries found), for a watch cycle that
   * plans only what its events and the server's changes named. Changing it changes nothing here.
   */
  public LocalIndex part(Collection<NotePath> roots) {
    TreeMap<NotePath, IndexEntry> found = new TreeMap<>();
    for (NotePath root : roots) {
      IndexEntry self = entries.get(root);
      if (self != null) {
        found.put(root, self);
      }
      for (IndexEntry e : under(root)) {
        found.put(e.path(), e);
      }
    }
    LocalIndex part = new LocalIndex(lastSeq, found.values());
    part.seqUnsaved = false;
    return part;
  }

  /** Whether the index holds any file under the folder {@code folder}: O(log n + siblings). */
  public boolean holdsAnythingUnder(NotePath folder) {
    return under(folder).iterator().hasNext();
  }

  /**
   * The entries under {@code folder}/, lazily: paths under it follow it in byte order, after the
   * siblings whose next byte is below '/' ("a.md" before "a/b.md") and before those whose next byte
   * is above it, so the walk stops there.
   */
  private Iterable<IndexEntry> under(NotePath folder) {
    String prefix = folder.value();
    return () ->
        entries.tailMap(folder, false).values().stream()
            .takeWhile(
                e -> {
                  String v = e.path().value();
                  return v.startsWith(prefix)
                      && v.length() > prefix.length()
                      && v.charAt(prefix.length()) <= '/';
                })
            .filter(e -> e.path().value().charAt(prefix.length()) == '/')
            .iterator();
  }

  /** The bases as a manifest, for the scanner's {@code previous} and for diffs. */
  public Manifest manifest() {
    return Manifest.of(entries.values().stream().map(IndexEntry::toManifestEntry).toList());
  }

  /** Applies a journal record's put while reading: not an unsaved change. */
  void load(IndexEntry entry) {
    entries.put(entry.path(), entry);
  }

  /** Applies a journal record's remove while reading: not an unsaved change. */
  void unload(NotePath path) {
    entries.remove(path);
  }

  /** Whether anything changed since the index was read or last saved. */
  public boolean hasUnsavedChanges() {
    return seqUnsaved || !unsaved.isEmpty();
  }

  /** The paths put or removed since the index was read or last saved (unmodifiable, live). */
  Set<NotePath> unsavedPaths() {
    return Collections.unmodifiableSet(unsaved);
  }

  /** Records that the store now holds this index as it is, at {@code stamp}. */
  void saved(IndexStamp stamp) {
    unsaved.clear();
    seqUnsaved = false;
    this.stamp = stamp;
  }

  /** Where the store held this index when it was last read or saved; null if never. */
  IndexStamp stamp() {
    return stamp;
  }

  @Override
  public String toString() {
    return "LocalIndex["
        + entries.size()
        + " files, seq "
        + lastSeq
        + ", "
        + unsaved.size()
        + " unsaved]";
  }
}
