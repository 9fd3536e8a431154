package io.vaultsync.server.vault;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.server.ledger.VaultName;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last changes recorded in each vault, kept where reading them is cheap, so the change feed can
 * hand a new change to a thousand subscribers without a thousand ledger reads. {@link #inMemory}
 * keeps them in this process ({@link RecentChanges}); a server of several processes (issue 15)
 * replaces it with one that sees the others' changes, or with none.
 */
public interface ChangeCache {
  /** Adds changes just recorded in {@code vault} (under its lock, in seq order). */
  void add(VaultName vault, List<Change> recorded);

  /**
   * The changes of {@code vault} after {@code afterSeq}, at most {@code limit}, with the head seq;
   * or null when the cache does not reach back to {@code afterSeq + 1} (the caller reads the
   * ledger).
   */
  ChangePage after(VaultName vault, long afterSeq, int limit);

  /** No cache: every page is read from the ledger. */
  static ChangeCache none() {
    return new ChangeCache() {
      @Override
      public void add(VaultName vault, List<Change> recorded) {}

      @Override
      public ChangePage after(VaultName vault, long afterSeq, int limit) {
        return null;
      }
    };
  }

  /** The last {@code perVault} changes of each vault, in this process's memory. Thread-safe. */
  static ChangeCache inMemory(int perVault) {
    Map<VaultName, RecentChanges> recent = new ConcurrentHashMap<>();
    return new ChangeCache() {
      @Override
      public void add(VaultName vault, List<Change> recorded) {
        recent.computeIfAbsent(vault, n -> new RecentChanges(perVault)).add(recorded);
      }

      @Override
      public ChangePage after(VaultName vault, long afterSeq, int limit) {
        RecentChanges r = recent.get(vault);
        return r == null ? null : r.after(afterSeq, limit);
      }
    };
  }
}
