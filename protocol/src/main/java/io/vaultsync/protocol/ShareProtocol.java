package io.vaultsync.protocol;

import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.util.List;

/** Private, read-only share links. One role of {@link VaultTransport}. */
public interface ShareProtocol {
  /**
   * Makes a private, read-only share link to {@code path} (a file or a folder at the head). The
   * returned URL holds a secret token that the remote keeps only as a hash. A remote records the
   * device it authenticated, not {@code device}, when it has one.
   *
   * @param expires when the link stops working, or null for never
   * @param password a password the opener must type, or null
   * @throws NotFoundException if the vault does not exist or nothing is at or under {@code path}
   * @throws InvalidRequestException if the remote cannot make links (it serves no HTTP) or the
   *     expiry or password is out of bounds
   */
  default CreatedShare createShare(
      String vault, NotePath path, java.time.Instant expires, char[] password, String device)
      throws IOException {
    throw new UnsupportedOperationException("createShare");
  }

  /**
   * The vault's share links, newest first, revoked and expired ones included.
   *
   * @throws NotFoundException if the vault does not exist
   */
  default List<ShareInfo> listShares(String vault) throws IOException {
    throw new UnsupportedOperationException("listShares");
  }

  /**
   * Revokes the vault's share link {@code id}: it answers 404 from now on.
   *
   * @throws NotFoundException if the vault has no link with that id
   */
  default void revokeShare(String vault, String id) throws IOException {
    throw new UnsupportedOperationException("revokeShare");
  }
}
