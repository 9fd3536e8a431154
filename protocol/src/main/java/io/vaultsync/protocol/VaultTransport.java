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

  // ---- the checks of a call's arguments, one place for every implementation ----
  // A bad argument is the protocol's InvalidRequestException, naming the value and what was
  // expected, whether the remote is in this process or across a wire; nothing is stored.

  /**
   * Checks the item count of {@link #fetchMany}.
   *
   * @throws InvalidRequestException if it is not 1 to {@link Limits#FETCH_ITEMS}
   */
  static void checkFetchItems(int count) throws InvalidRequestException {
    if (count < 1 || count > Limits.FETCH_ITEMS) {
      throw new InvalidRequestException(
          "batched fetch of " + count + " files; expected 1 to " + Limits.FETCH_ITEMS);
    }
  }

  /**
   * Checks the arguments of {@link #history}.
   *
   * @throws InvalidRequestException if {@code beforeSeq < 1} or {@code limit} is not 1 to {@link
   *     Limits#HISTORY_VERSIONS}
   */
  static void checkHistoryArguments(long beforeSeq, int limit) throws InvalidRequestException {
    if (beforeSeq < 1 || limit < 1 || limit > Limits.HISTORY_VERSIONS) {
      throw new InvalidRequestException(
          "history before seq "
              + beforeSeq
              + ", limit "
              + limit
              + "; expected a seq >= 1 and a limit of 1 to "
              + Limits.HISTORY_VERSIONS);
    }
  }

  /**
   * Checks the arguments of {@link #changesSince}.
   *
   * @throws InvalidRequestException if {@code afterSeq < 0} or {@code limit < 1}
   */
  static void checkChangesArguments(long afterSeq, int limit) throws InvalidRequestException {
    if (afterSeq < 0 || limit < 1) {
      throw new InvalidRequestException(
          "changes after seq " + afterSeq + ", limit " + limit + "; expected >= 0 and >= 1");
    }
  }

  /**
   * Checks a seq argument: {@code afterSeq} of {@link #subscribe}, {@code seq} of {@link
   * #manifestAt} and {@link #snapshotManifest}.
   *
   * @param what what the seq is, for the message ("subscribe after seq")
   * @throws InvalidRequestException if {@code seq < 0}
   */
  static void checkSeq(String what, long seq) throws InvalidRequestException {
    if (seq < 0) {
      throw new InvalidRequestException(what + " " + seq + "; expected >= 0");
    }
  }

  /**
   * Checks a vault name against {@link VaultNames}' rule.
   *
   * @throws InvalidRequestException naming the name otherwise
   */
  static String checkVaultName(String vault) throws InvalidRequestException {
    try {
      return VaultNames.check(vault);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  @Override
  void close() throws IOException;
}
