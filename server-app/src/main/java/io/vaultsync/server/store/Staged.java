package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.util.Objects;

/** Content staged in a {@link StagingBatch}: its SHA-256 as the store computed it, and its size. */
public record Staged(ContentHash hash, long size) {
  public Staged {
    Objects.requireNonNull(hash, "hash");
    if (size < 0) {
      throw new IllegalArgumentException(
          "staged " + hash + " of " + size + " bytes; expected >= 0");
    }
  }
}
