package io.vaultsync.server.share;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.server.ledger.VaultName;
import java.time.Instant;
import java.util.Objects;

/**
 * A share link as the server stores it (never its token: only the token's SHA-256 is stored).
 *
 * @param id the short public handle for list and revoke
 * @param vault the vault
 * @param path the shared file or folder
 * @param folder whether a folder is shared (else one file)
 * @param fileId for a file share: the file's stable id at creation (the link serves only that
 *     file); 0 for a folder
 * @param created when it was made
 * @param createdBy the device that made it
 * @param expires when it stops working, or null for never
 * @param passwordHash {@link PasswordHasher} form, or null without a password
 * @param revoked whether it was revoked
 */
public record Share(
    String id,
    VaultName vault,
    NotePath path,
    boolean folder,
    long fileId,
    Instant created,
    String createdBy,
    Instant expires,
    String passwordHash,
    boolean revoked) {
  public Share {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(createdBy, "createdBy");
    if (!folder && fileId < 1) {
      throw new IllegalArgumentException("file share " + id + " with file id " + fileId);
    }
  }

  /** Whether it serves at {@code now}: not revoked, not expired. */
  public boolean liveAt(Instant now) {
    return !revoked && (expires == null || now.isBefore(expires));
  }

  /** The listing form (no secrets). */
  public ShareInfo info() {
    return new ShareInfo(
        id,
        vault.value(),
        path,
        folder,
        created,
        createdBy,
        expires,
        passwordHash != null,
        revoked);
  }

  @Override
  public String toString() {
    return "Share[" + id + " " + vault + ":" + path + (folder ? "/" : "") + "]";
  }
}
