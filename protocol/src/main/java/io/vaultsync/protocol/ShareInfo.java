package io.vaultsync.protocol;

import io.vaultsync.model.tree.NotePath;
import java.time.Instant;
import java.util.Objects;

/**
 * A private share link as a listing shows it (never its token, which only its creator sees once).
 *
 * @param id short public handle, for {@code share revoke}
 * @param vault the vault
 * @param path the shared file or folder
 * @param folder whether a folder is shared (else one file)
 * @param created when it was made
 * @param createdBy the device that made it
 * @param expires when it stops working, or null for never
 * @param passwordProtected whether opening it asks for a password
 * @param revoked whether it was revoked
 */
public record ShareInfo(
    String id,
    String vault,
    NotePath path,
    boolean folder,
    Instant created,
    String createdBy,
    Instant expires,
    boolean passwordProtected,
    boolean revoked) {
  public ShareInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
