package io.vaultsync.server.vault;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.rules.VaultHead;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A vault's head in the ledger, as {@link io.vaultsync.protocol.rules.CommitRules} reads it. For a
 * commit, the files at the paths its mutations name are read at once ({@link #forCommit}: one read
 * for the batch instead of two statements per file); other paths are asked of the ledger when
 * needed. The caller holds the vault's lock, so the head cannot move while this is used.
 */
final class LedgerHead implements VaultHead {
  private final LedgerStore ledger;
  private final VaultName vault;

  /** The paths read ahead and the files found at them; a path read ahead but absent has none. */
  private final Set<NotePath> readAhead;

  private final Map<NotePath, RemoteEntry> files;

  private LedgerHead(
      LedgerStore ledger,
      VaultName vault,
      Set<NotePath> readAhead,
      Map<NotePath, RemoteEntry> files) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.readAhead = readAhead;
    this.files = files;
  }

  /** The head, each file read when asked for. */
  static LedgerHead of(LedgerStore ledger, VaultName vault) {
    return new LedgerHead(ledger, vault, Set.of(), Map.of());
  }

  /** The head, with the files at every path {@code mutations} name read at once. */
  static LedgerHead forCommit(LedgerStore ledger, VaultName vault, List<Mutation> mutations)
      throws IOException {
    Set<NotePath> paths = new HashSet<>();
    for (Mutation m : mutations) {
      paths.add(m.path());
      if (m instanceof Mutation.Move move) {
        paths.add(move.to());
      }
    }
    return new LedgerHead(ledger, vault, paths, ledger.heads(vault, paths));
  }

  @Override
  public RemoteEntry file(NotePath path) throws IOException {
    if (readAhead.contains(path)) {
      return files.get(path);
    }
    return ledger.head(vault, path).orElse(null);
  }

  @Override
  public List<NotePath> pathsUnder(NotePath folder, NotePath after, int limit) throws IOException {
    return ledger.headPathsUnder(vault, folder, after, limit);
  }

  @Override
  public Set<NotePath> foldersAmong(Collection<NotePath> paths) throws IOException {
    return ledger.foldersAmong(vault, paths);
  }
}
