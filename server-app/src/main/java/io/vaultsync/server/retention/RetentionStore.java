package io.vaultsync.server.retention;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.DeltaPlan;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Where retention lives: per-vault policies, thinning of the version history, and what the kept
 * versions mean for the content store (the repack's {@link DeltaPlan}, GC's roots). {@link
 * SqlRetentionStore} is the server's. Implementations are thread-safe.
 */
public interface RetentionStore {
  /** The vault's own policy, if one was set. */
  Optional<RetentionPolicy> policy(VaultName vault) throws IOException;

  /** Sets (null: removes) the vault's own policy. */
  void setPolicy(VaultName vault, RetentionPolicy policy) throws IOException;

  /**
   * Deletes the vault's versions that {@code policy} thins out at {@code now} ({@link Thinning}),
   * keeping those a kept snapshot names; one transaction.
   *
   * @return the number of versions deleted
   */
  int thin(VaultName vault, Instant now, RetentionPolicy policy) throws IOException;

  /**
   * The delta plan from the kept versions of every vault: each content version of a file may be a
   * delta against the file's next different content; every head stays whole.
   */
  DeltaPlan deltaPlan() throws IOException;

  /**
   * Every hash the server's records name, in every vault (heads, version history, kept snapshots,
   * the remaining ledger): content GC keeps these. One state of the records.
   */
  Set<ContentHash> namedContent() throws IOException;
}
