package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.ManifestEntry;
import java.util.Objects;

/** One version of a file: its content hash and size. */
public record Version(ContentHash hash, long size) {
  public Version {
    Objects.requireNonNull(hash, "hash");
    if (size < 0) {
      throw new IllegalArgumentException("version " + hash + " of size " + size);
    }
  }

  /** The version of a scanned or indexed file; null for null (no file). */
  static Version of(ManifestEntry e) {
    return e == null ? null : new Version(e.hash(), e.size());
  }
}
