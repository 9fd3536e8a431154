package io.vaultsync.client.state;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import java.util.Objects;

/**
 * What the client knows about one file since it last synced it.
 *
 * @param path the note
 * @param size bytes on disk when synced
 * @param mtimeMillis modification time on disk when synced (a hint to skip re-hashing only)
 * @param hash the base: the version both this client and the server had at the last sync
 * @param signature the signature of that version, for push deltas; null if not kept
 */
public record IndexEntry(
    NotePath path, long size, long mtimeMillis, ContentHash hash, KeptSignature signature) {
  public IndexEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    if (size < 0) {
      throw new IllegalArgumentException(
          "index entry \"" + path + "\" has size " + size + "; expected >= 0");
    }
  }

  /** As a manifest entry (what a scan compares with). */
  public ManifestEntry toManifestEntry() {
    return new ManifestEntry(path, size, mtimeMillis, hash);
  }

  /** The same version under another path. */
  public IndexEntry movedTo(NotePath to, long newMtimeMillis) {
    return new IndexEntry(to, size, newMtimeMillis, hash, signature);
  }
}
