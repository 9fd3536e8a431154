package io.vaultsync.model.tree;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of a folder: its files by {@link NotePath}, in {@link NotePath} order.
 *
 * <p>Only exact duplicate paths are an error. Paths that differ only in case ({@code a.md} and
 * {@code A.md}) are two entries: both can exist on Linux, and deciding what to do about them on a
 * case-insensitive file system is the sync planner's job, not the manifest's. Unicode forms cannot
 * collide because every {@link NotePath} is NFC.
 */
public final class Manifest {
  private static final Manifest EMPTY = new Manifest(new TreeMap<>(), 0);

  private final NavigableMap<NotePath, ManifestEntry> entries;
  private final List<ManifestEntry> list;
  private final long totalBytes;

  private Manifest(NavigableMap<NotePath, ManifestEntry> entries, long totalBytes) {
    this.entries = Collections.unmodifiableNavigableMap(entries);
    this.list = List.copyOf(entries.values());
    this.totalBytes = totalBytes;
  }

  /** The manifest of an empty folder. */
  public static Manifest empty() {
    return EMPTY;
  }

  /**
   * A manifest of {@code entries}, in any order.
   *
   * @throws IllegalArgumentException if two entries have the same path
   * @throws ArithmeticException if the sizes add up to more than {@link Long#MAX_VALUE}
   */
  public static Manifest of(Collection<ManifestEntry> entries) {
    ManifestEntry[] sorted = entries.toArray(new ManifestEntry[0]);
    if (sorted.length == 0) {
      return EMPTY;
    }
    long total = 0;
    boolean inOrder = true;
    for (int i = 0; i < sorted.length; i++) {
      Objects.requireNonNull(sorted[i], "entry");
      total = Math.addExact(total, sorted[i].size());
      inOrder = inOrder && (i == 0 || sorted[i - 1].path().compareTo(sorted[i].path()) < 0);
    }
    if (!inOrder) {
      // Stable: of two entries with one path, the earlier one in the input stays first.
      Arrays.sort(sorted, Comparator.comparing(ManifestEntry::path));
      for (int i = 1; i < sorted.length; i++) {
        if (sorted[i - 1].path().equals(sorted[i].path())) {
          throw new IllegalArgumentException(
              "duplicate manifest path \""
                  + sorted[i].path()
                  + "\": "
                  + sorted[i - 1]
                  + " and "
                  + sorted[i]
                  + "; expected each path once");
        }
      }
    }
    // Built in O(n), not by n inserts of O(log n) comparisons each.
    return new Manifest(
        SortedMaps.treeOf(Arrays.asList(sorted), ManifestEntry::path, e -> e), total);
  }

  /** The entry at {@code path}, if any. */
  public Optional<ManifestEntry> get(NotePath path) {
    return Optional.ofNullable(entries.get(path));
  }

  /** Whether there is an entry at {@code path}. */
  public boolean contains(NotePath path) {
    return entries.containsKey(path);
  }

  /** All entries in path order. */
  public List<ManifestEntry> entries() {
    return list;
  }

  /** All entries as an unmodifiable map sorted by path. */
  public NavigableMap<NotePath, ManifestEntry> asMap() {
    return entries;
  }

  /** The number of files. */
  public int size() {
    return entries.size();
  }

  /** The sum of all file sizes. */
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** A summary; the entries themselves when there are few. */
  @Override
  public String toString() {
    String head = "Manifest[" + entries.size() + " files, " + totalBytes + " bytes";
    return entries.size() <= 8 ? head + ", " + entries.values() + "]" : head + "]";
  }
}
