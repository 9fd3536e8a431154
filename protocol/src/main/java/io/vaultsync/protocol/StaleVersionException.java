package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;

/**
 * A write named a version that is no longer current: someone changed the file first. Carries the
 * current version (null when the path does not exist) so the client can merge or keep both.
 */
public final class StaleVersionException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final transient RemoteEntry current;

  public StaleVersionException(
      String vault, String path, ContentHash expected, RemoteEntry current) {
    super(
        "stale version of "
            + path
            + " in vault "
            + vault
            + ": the change was based on "
            + (expected == null ? "no file" : expected.hex())
            + " but the current version is "
            + (current == null ? "no file" : current.hash().hex() + " at seq " + current.seq()));
    this.current = current;
  }

  /** The current version, or null if the path does not exist. */
  public RemoteEntry current() {
    return current;
  }
}
