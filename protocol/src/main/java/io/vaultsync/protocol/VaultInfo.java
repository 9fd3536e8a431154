package io.vaultsync.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A vault as a listing shows it.
 *
 * @param name the vault's name
 * @param files files at its head
 * @param bytes their total size
 * @param headSeq its latest sequence number (0: no change yet)
 * @param lastChange when that change was recorded, or null when there was none
 */
public record VaultInfo(String name, long files, long bytes, long headSeq, Instant lastChange) {
  public VaultInfo {
    Objects.requireNonNull(name, "name");
    if (files < 0 || bytes < 0 || headSeq < 0) {
      throw new IllegalArgumentException(
          "vault " + name + " with " + files + " files, " + bytes + " bytes, seq " + headSeq);
    }
  }
}
