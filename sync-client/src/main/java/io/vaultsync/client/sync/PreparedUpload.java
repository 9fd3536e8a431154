package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A local file read once and encoded as a delta against the base the server has: either inline
 * (small enough for a {@link Mutation.Put} in a batch) or spilled to a temporary file for a
 * streaming push.
 *
 * @param path the note
 * @param base the version it replaces, null for a new file
 * @param entry what the index records once the server accepted it (hash of the bytes actually read
 *     and encoded, their signature, the size and mtime seen)
 * @param put the inline mutation, or null
 * @param deltaFile the spilled delta, or null
 */
record PreparedUpload(
    NotePath path, ContentHash base, IndexEntry entry, Mutation.Put put, Path deltaFile) {
  PreparedUpload {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(entry, "entry");
    if ((put == null) == (deltaFile == null)) {
      throw new IllegalArgumentException("upload of " + path + ": expected inline xor spilled");
    }
  }
}
