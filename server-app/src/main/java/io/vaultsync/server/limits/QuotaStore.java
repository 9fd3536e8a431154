package io.vaultsync.server.limits;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where vault quotas and usage live. A vault's usage is the total size of the distinct contents its
 * records name (version history, head, kept snapshots, remaining ledger), each once at its full
 * size. {@link SqlQuotaStore} is the server's. Implementations are thread-safe.
 */
public interface QuotaStore {
  /** The vault's own quota, if one was set. */
  OptionalLong quota(VaultName vault) throws IOException;

  /** Sets (empty: removes) the vault's own quota. */
  void setQuota(VaultName vault, OptionalLong quota) throws IOException;

  /** The vault's usage in bytes. */
  long usage(VaultName vault) throws IOException;

  /** The vault's usage with the contents it counts: for deciding exactly what a call adds. */
  Usage usageWithContents(VaultName vault) throws IOException;

  /**
   * A vault's usage and the contents it counts.
   *
   * @param bytes the total size of {@code contents}
   * @param contents every content the vault's records name
   */
  record Usage(long bytes, Set<ContentHash> contents) {}
}
