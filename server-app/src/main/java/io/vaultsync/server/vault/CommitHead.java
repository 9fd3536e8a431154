package io.vaultsync.server.vault;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A vault's head as one commit sees it: the ledger's head with the batch's mutations so far laid
 * over it, for the stale checks and for {@link TreeShape}'s rules. Reads the ledger lazily, one
 * path (or one folder's first paths) at a time, and caches what it read. Not thread-safe: one per
 * commit, under the vault's lock.
 */
final class CommitHead implements TreeShape.Head {
  /** Paths read per ledger query when looking for a file below a folder. */
  private static final int PAGE = 64;

  private final LedgerStore ledger;
  private final VaultName vault;

  /** Per path read or changed: what is there now (empty: nothing). */
  private final Map<NotePath, Optional<RemoteEntry>> overlay = new HashMap<>();

  /** Paths the batch put a file at (and still has one at), as strings: prefix ranges are cheap. */
  private final TreeSet<String> added = new TreeSet<>();

  /**
   * The paths the batch may write that are folders in the ledger's head, read at once ({@link
   * LedgerStore#foldersAmong}); null: not read, ask the ledger per path.
   */
  private Set<NotePath> ledgerFolders;

  private Set<NotePath> asked = Set.of();

  CommitHead(LedgerStore ledger, VaultName vault) {
    this.ledger = ledger;
    this.vault = vault;
  }

  /**
   * Reads at once which of {@code targets} (the paths a batch may write) are folders in the
   * ledger's head: one read for the batch instead of a query per file (the rule is asked for every
   * new path, and a first upload is all new paths).
   */
  CommitHead expecting(Collection<NotePath> targets) throws IOException {
    asked = new HashSet<>(targets);
    ledgerFolders = ledger.foldersAmong(vault, asked);
    return this;
  }

  /** The file at {@code path} now, or null. */
  RemoteEntry current(NotePath path) throws IOException {
    Optional<RemoteEntry> o = overlay.get(path);
    if (o == null) {
      o = ledger.head(vault, path);
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
    if (ledgerFolders != null && asked.contains(folder) && !ledgerFolders.contains(folder)) {
      return false; // no file below it in the ledger, and none added by the batch
    }
    NotePath after = null;
    while (true) {
      List<NotePath> page = ledger.headPathsUnder(vault, folder, after, PAGE);
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
