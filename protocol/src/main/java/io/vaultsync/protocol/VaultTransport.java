package io.vaultsync.protocol;

import java.io.IOException;
import java.util.List;

/**
 * A remote vault in all its roles: {@link SyncProtocol} (what a syncing client calls), {@link
 * AdminProtocol} (vaults), {@link HistoryProtocol} (versions and snapshots) and {@link
 * ShareProtocol} (share links). Code that needs one role takes that interface; a transport or a
 * backend implements this one.
 *
 * <p>Implementations: {@code InProcessVaultTransport} (in memory, the reference; module
 * protocol-testkit), the gRPC client in module transport-grpc and the server's backend in
 * server-app.
 */
public interface VaultTransport
    extends SyncProtocol, AdminProtocol, HistoryProtocol, ShareProtocol, AutoCloseable {
  /**
   * {@inheritDoc}
   *
   * <p>This default calls {@link #fetch} per item (and {@link #listVaults} once, to tell an unknown
   * vault from a missing item); a remote answers the whole batch in one round trip.
   */
  @Override
  default void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    checkFetchItems(items.size());
    boolean vaultChecked = false;
    for (int i = 0; i < items.size(); i++) {
      FetchItem item = items.get(i);
      FetchReceiver.Lazy out = new FetchReceiver.Lazy(receiver, i);
      try {
        fetch(vault, item.target(), item.base(), out);
      } catch (NotFoundException e) {
        if (out.begun()) {
          throw e;
        }
        if (!vaultChecked && listVaults().stream().noneMatch(v -> v.name().equals(vault))) {
          throw e; // an unknown vault fails the whole call
        }
        vaultChecked = true;
        receiver.notFound(i, e.getMessage());
        continue;
      }
      out.stream(); // an empty delta still begins
      receiver.end(i);
    }
  }

  /** Checks the item count of {@link #fetchMany}. */
  static void checkFetchItems(int count) {
    if (count < 1 || count > Limits.FETCH_ITEMS) {
      throw new IllegalArgumentException(
          "batched fetch of " + count + " files; expected 1 to " + Limits.FETCH_ITEMS);
    }
  }

  /** Checks the arguments of {@link #history}. */
  static void checkHistoryArguments(long beforeSeq, int limit) {
    if (beforeSeq < 1 || limit < 1 || limit > Limits.HISTORY_VERSIONS) {
      throw new IllegalArgumentException(
          "history before seq "
              + beforeSeq
              + ", limit "
              + limit
              + "; expected a seq >= 1 and a limit of 1 to "
              + Limits.HISTORY_VERSIONS);
    }
  }

  @Override
  void close() throws IOException;
}
