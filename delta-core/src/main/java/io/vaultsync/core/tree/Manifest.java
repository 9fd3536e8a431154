package io.vaultsync.core.tree;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
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
    // Built from sorted entries in O(n), not by n inserts of O(log n) comparisons each: manifests
    // of 50,000 notes are built several times per sync.
    return new Manifest(new TreeMap<>(new SortedEntries(sorted)), total);
  }

  /**
   * Entries already in strictly increasing path order, seen as the one thing {@link
   * TreeMap#TreeMap(SortedMap)} reads (comparator, size, entry iterator) so it builds its tree in
   * linear time. Nothing else is supported.
   */
  private static final class SortedEntries extends AbstractMap<NotePath, ManifestEntry>
      implements SortedMap<NotePath, ManifestEntry> {
    private final ManifestEntry[] sorted;

    SortedEntries(ManifestEntry[] sorted) {
      this.sorted = sorted;
    }

    @Override
    public Comparator<? super NotePath> comparator() {
      return null; // natural order, as the TreeMap built from it
    }

    @Override
    public int size() {
      return sorted.length;
    }

    @Override
    public Set<Map.Entry<NotePath, ManifestEntry>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<NotePath, ManifestEntry>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < sorted.length;
            }

            @Override
            public Map.Entry<NotePath, ManifestEntry> next() {
              if (next >= sorted.length) {
                throw new NoSuchElementException();
              }
              ManifestEntry e = sorted[next++];
              return new AbstractMap.SimpleImmutableEntry<>(e.path(), e);
            }
          };
        }

        @Override
        public int size() {
          return sorted.length;
        }
      };
    }

    @Override
    public SortedMap<NotePath, ManifestEntry> subMap(NotePath from, NotePath to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<NotePath, ManifestEntry> headMap(NotePath to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<NotePath, ManifestEntry> tailMap(NotePath from) {
      throw new UnsupportedOperationException();
    }

    @Override
    public NotePath firstKey() {
      return sorted[0].path();
    }

    @Override
    public NotePath lastKey() {
      return sorted[sorted.length - 1].path();
    }
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
