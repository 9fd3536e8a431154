package io.vaultsync.server.vault;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.rules.VaultHead;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** A vault's head in the ledger, as {@link io.vaultsync.protocol.rules.CommitRules} reads it. */
record LedgerHead(LedgerStore ledger, VaultName vault) implements VaultHead {
  @Override
  public RemoteEntry file(NotePath path) throws IOException {
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
