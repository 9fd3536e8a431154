package io.vaultsync.server.http.web;

import io.vaultsync.core.tree.NotePath;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the share pages need of share links: the narrow view of the share store the pages are
 * written against (the store itself belongs to the HTTP endpoint's share routes).
 */
interface ShareLinks {
  /**
   * An active link as the list shows it.
   *
   * @param path the shared file or folder (null: the whole vault)
   * @param folder whether it is a folder
   */
  record Link(
      String id,
      NotePath path,
      boolean folder,
      String device,
      Instant created,
      Instant expires,
      boolean password) {
    public Link {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(created, "created");
    }
  }

  /** A new link and its URL (holding the secret token: shown once). */
  record Created(Link link, String url) {}

  /**
   * Shares {@code path} of {@code vault} (a file or folder at the head; null: the whole vault).
   *
   * @throws io.vaultsync.core.transport.NotFoundException if nothing is at {@code path}
   */
  Created create(VaultName vault, NotePath path, Duration expiresIn, String password, String device)
      throws IOException;

  /** The vault's active links, newest first. */
  List<Link> list(VaultName vault) throws IOException;

  /** Revokes the link; false if the vault has no active link with that id. */
  boolean revoke(VaultName vault, String id) throws IOException;

  /** Until the share store is wired: listing shows none, creating says it is not available. */
  static ShareLinks unavailable() {
    return new ShareLinks() {
      @Override
      public Created create(
          VaultName vault, NotePath path, Duration expiresIn, String password, String device) {
        throw new io.javalin.http.HttpResponseException(501, "share links are not available yet");
      }

      @Override
      public List<Link> list(VaultName vault) {
        return List.of();
      }

      @Override
      public boolean revoke(VaultName vault, String id) {
        return false;
      }
    };
  }
}
