package io.vaultsync.model.tree;

import io.vaultsync.core.hash.ContentHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes that turn one {@link Manifest} into another. Pure and deterministic.
 *
 * <p>A path in both manifests with a different hash is {@link TreeChange.Modified}; with the same
 * hash it is unchanged, whatever its mtime. A path only in {@code before} is {@link
 * TreeChange.Deleted} and one only in {@code after} is {@link TreeChange.Added}, except that a
 * deleted and an added entry with the same hash are paired into a {@link TreeChange.Moved}.
 *
 * <p>Pairing: each deleted entry is paired with at most one added entry and vice versa. Pass one
 * pairs, for each deleted entry in path order, the first (in path order) unpaired added entry with
 * the same hash and the same file name; so a folder rename yields one move per file, even when some
 * files have identical content. Pass two pairs what is left the same way, ignoring names. Empty
 * files are never paired: they all share one hash, so a "move" between them would be a guess. Cost:
 * O(n log n) in the number of entries.
 */
public final class TreeDiff {
  private TreeDiff() {}

  /** The changes from {@code before} to {@code after}, sorted by {@link TreeChange#path()}. */
  public static List<TreeChange> between(Manifest before, Manifest after) {
    List<TreeChange> changes = new ArrayList<>();
    List<ManifestEntry> deleted = new ArrayList<>();
    Candidates added = new Candidates();

    for (ManifestEntry old : before.entries()) {
      ManifestEntry now = after.asMap().get(old.path());
      if (now == null) {
        deleted.add(old);
      } else if (!now.hash().equals(old.hash())) {
        changes.add(new TreeChange.Modified(old, now));
      }
    }
    for (ManifestEntry now : after.entries()) {
      if (before.contains(now.path())) {
        continue;
      }
      if (now.size() == 0) {
        changes.add(new TreeChange.Added(now));
      } else {
        added.add(now);
      }
    }

    List<ManifestEntry> unpaired = new ArrayList<>();
    for (ManifestEntry old : deleted) {
      ManifestEntry now = added.take(old, true);
      if (now != null) {
        changes.add(new TreeChange.Moved(old, now));
      } else {
        unpaired.add(old);
      }
    }
    for (ManifestEntry old : unpaired) {
      ManifestEntry now = added.take(old, false);
      changes.add(now != null ? new TreeChange.Moved(old, now) : new TreeChange.Deleted(old));
    }
    for (ManifestEntry now : added.remaining()) {
      changes.add(new TreeChange.Added(now));
    }
    changes.sort(Comparator.comparing(TreeChange::path));
    return List.copyOf(changes);
  }

  /** Added, non-empty entries not yet paired, indexed by hash and by (hash, name). */
  private static final class Candidates {
    private record HashAndName(ContentHash hash, String name) {}

    private final Map<ContentHash, TreeMap<NotePath, ManifestEntry>> byHash = new HashMap<>();
    private final Map<HashAndName, TreeMap<NotePath, ManifestEntry>> byHashAndName =
        new HashMap<>();

    void add(ManifestEntry entry) {
      byHash.computeIfAbsent(entry.hash(), k -> new TreeMap<>()).put(entry.path(), entry);
      byHashAndName.computeIfAbsent(key(entry), k -> new TreeMap<>()).put(entry.path(), entry);
    }

    /**
     * Removes and returns the first candidate (in path order) with the hash of {@code old}, and
     * also its name if {@code sameName}; null if none or if {@code old} is empty.
     */
    ManifestEntry take(ManifestEntry old, boolean sameName) {
      if (old.size() == 0) {
        return null;
      }
      TreeMap<NotePath, ManifestEntry> candidates =
          sameName ? byHashAndName.get(key(old)) : byHash.get(old.hash());
      if (candidates == null) {
        return null;
      }
      ManifestEntry now = candidates.firstEntry().getValue();
      remove(byHash, now.hash(), now.path());
      remove(byHashAndName, key(now), now.path());
      return now;
    }

    List<ManifestEntry> remaining() {
      List<ManifestEntry> all = new ArrayList<>();
      byHash.values().forEach(m -> all.addAll(m.values()));
      return all;
    }

    private static <K> void remove(
        Map<K, TreeMap<NotePath, ManifestEntry>> index, K key, NotePath path) {
      TreeMap<NotePath, ManifestEntry> paths = index.get(key);
      paths.remove(path);
      if (paths.isEmpty()) {
        index.remove(key);
      }
    }

    private static HashAndName key(ManifestEntry entry) {
      return new HashAndName(entry.hash(), entry.path().name());
    }
  }
}
