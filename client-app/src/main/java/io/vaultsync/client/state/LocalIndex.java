package io.vaultsync.client.state;

import io.vaultsync.core.tree.Manifest;
import io.vaultsync.core.tree.NotePath;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The base of every synced file plus the last ledger sequence number applied: what three-way sync
 * compares both sides with. Persisted by {@link IndexFile}. Mutable; not thread-safe.
 */
public final class LocalIndex {
  private final TreeMap<NotePath, IndexEntry> entries = new TreeMap<>();
  private long lastSeq;

  /** An empty index at seq 0 (nothing synced). */
  public LocalIndex() {}

  /** An index holding {@code entries} at {@code lastSeq}. */
  public LocalIndex(long lastSeq, Collection<IndexEntry> entries) {
    setLastSeq(lastSeq);
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
    this.lastSeq = seq;
  }

  public IndexEntry get(NotePath path) {
    return entries.get(path);
  }

  public void put(IndexEntry entry) {
    entries.put(Objects.requireNonNull(entry, "entry").path(), entry);
  }

  public void remove(NotePath path) {
    entries.remove(path);
  }

  /** Entries by path, unmodifiable, live. */
  public NavigableMap<NotePath, IndexEntry> entries() {
    return Collections.unmodifiableNavigableMap(entries);
  }

  public int size() {
    return entries.size();
  }

  /** The bases as a manifest, for the scanner's {@code previous} and for diffs. */
  public Manifest manifest() {
    return Manifest.of(entries.values().stream().map(IndexEntry::toManifestEntry).toList());
  }

  @Override
  public String toString() {
    return "LocalIndex[" + entries.size() + " files, seq " + lastSeq + "]";
  }
}
