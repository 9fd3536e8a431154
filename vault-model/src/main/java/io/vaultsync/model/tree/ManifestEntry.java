package io.vaultsync.model.tree;

import io.vaultsync.core.hash.ContentHash;
import java.util.Objects;

/**
 * One file of a {@link Manifest}: where it is, how big, when it last changed and what it contains.
 *
 * @param path the note's canonical path
 * @param size length in bytes, at least 0
 * @param mtimeMillis last-modified time in milliseconds since the epoch (may be negative); a hint
 *     for skipping unchanged files, never a basis for deciding which version wins
 * @param hash SHA-256 of the content
 */
public record ManifestEntry(NotePath path, long size, long mtimeMillis, ContentHash hash) {
  /** Checks that no component is null and {@code size} is not negative. */
  public ManifestEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    if (size < 0) {
      throw new IllegalArgumentException(
          "manifest entry \"" + path + "\" has size " + size + "; expected >= 0");
    }
  }
}
