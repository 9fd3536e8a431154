package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.util.Objects;

/**
 * The current version of one file on the remote.
 *
 * @param seq sequence number of the change that made this version
 */
public record RemoteEntry(NotePath path, ContentHash hash, long size, long seq) {
  public RemoteEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    if (size < 0 || seq < 1) {
      throw new IllegalArgumentException(
          "remote entry "
              + path
              + " of "
              + size
              + " bytes at seq "
              + seq
              + "; expected size >= 0, seq >= 1");
    }
  }
}
