package io.vaultsync.protocol.rules;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.RemoteEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A vault's head as one commit sees it: the {@link VaultHead} with the batch's mutations so far
 * laid over it, for the stale checks and for {@link TreeShape}'s rules. Reads the head lazily, one
 * path (or one folder's first paths) at a time, and caches what it read. Not thread-safe: one per
 * commit, under the vault's lock.
 */
final class BatchHead implements TreeShape.Head {
  /** Paths read per head query when looking for a file below a folder. */
  private static final int PAGE = 64;

  private final VaultHead head;

  /** Per path read or changed: what is there now (empty: nothing). */
  private final Map<NotePath, Optional<RemoteEntry>> overlay = new HashMap<>();

  /** Paths the batch put a file at (and still has one at), as strings: prefix ranges are cheap. */
  private final TreeSet<String> added = new TreeSet<>();

  /**
   * The paths the batch may write that are folders in the head, read at once ({@link
   * VaultHead#foldersAmong}); null: not read, ask the head per path.
   */
  private Set<NotePath> headFolders;

  private Set<NotePath> asked = Set.of();

  BatchHead(VaultHead head) {
    this.head = head;
  }

  /**
   * Reads at once which of {@code targets} (the paths a batch may write) are folders in the head:
   * one read for the batch instead of a query per file (the rule is asked for every new path, and a
   * first upload is all new paths).
   */
  BatchHead expecting(Collection<NotePath> targets) throws IOException {
    asked = new HashSet<>(targets);
    headFolders = head.foldersAmong(asked);
    return this;
  }

  /** The file at {@code path} now, or null. */
  RemoteEntry current(NotePath path) throws IOException {
    Optional<RemoteEntry> o = overlay.get(path);
    if (o == null) {
      o = Optional.ofNullable(head.file(path));
      overlay.put(path, o);
    }
    return o.orElse(null);
  }

  /** The batch puts {@code entry} at its path. */
  void put(RemoteEntry entry) {
    overlay.put(entry.path(), Optional.of(entry));
    added.add(entry.path().value());
  }

  /** The batch removes the file at {@code path}. */
  void remove(NotePath path) {
    overlay.put(path, Optional.empty());
    added.remove(path.value());
  }

  /**
   * The files below the folder {@code folder} now (the head's, less those the batch removed, plus
   * those it added), in {@link NotePath} order.
   */
  List<RemoteEntry> filesUnder(NotePath folder) throws IOException {
    TreeSet<NotePath> paths = new TreeSet<>();
    NotePath after = null;
    while (true) {
      List<NotePath> page = head.pathsUnder(folder, after, PAGE);
      paths.addAll(page);
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1);
    }
    String prefix = folder.value() + "/";
    for (String a : added.tailSet(prefix, true)) {
      if (!a.startsWith(prefix)) {
        break;
      }
      paths.add(NotePath.of(a));
    }
    List<RemoteEntry> out = new ArrayList<>(paths.size());
    for (NotePath p : paths) {
      RemoteEntry e = current(p);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public boolean isFile(NotePath path) throws IOException {
    return current(path) != null;
  }

  @Override
  public boolean holdsFilesUnder(NotePath folder) throws IOException {
    String prefix = folder.value() + "/";
    String next = added.ceiling(prefix);
    if (next != null && next.startsWith(prefix)) {
      return true;
    }
    if (headFolders != null && asked.contains(folder) && !headFolders.contains(folder)) {
      return false; // no file below it in the head, and none added by the batch
    }
    NotePath after = null;
    while (true) {
      List<NotePath> page = head.pathsUnder(folder, after, PAGE);
      for (NotePath p : page) {
        Optional<RemoteEntry> o = overlay.get(p);
        if (o == null || o.isPresent()) {
          return true; // not removed by this batch
        }
      }
      if (page.size() < PAGE) {
        return false;
      }
      after = page.get(page.size() - 1);
    }
  }
}
