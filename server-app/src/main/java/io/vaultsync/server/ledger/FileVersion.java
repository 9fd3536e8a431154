package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded version of a file: the change with sequence number {@code seq} and the stable id of
 * the file it belongs to.
 *
 * @param seq the ledger sequence number of the change
 * @param time when the server recorded it
 * @param device the device that made it ({@code server-disk} for edits on the server's folder)
 * @param op what happened
 * @param path the path after the change
 * @param previousPath for a {@link Change.Op#MOVE}: where the file was; otherwise null
 * @param hash the content after the change; for a DELETE, the content that was deleted
 * @param size bytes of that content
 * @param fileId the file's stable id (see {@link VersionHistory#fileIdAt})
 */
public record FileVersion(
    long seq,
    Instant time,
    String device,
    Change.Op op,
    NotePath path,
    NotePath previousPath,
    ContentHash hash,
    long size,
    long fileId) {
  public FileVersion {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    if (seq < 1 || size < 0 || fileId < 1) {
      throw new IllegalArgumentException(
          "version seq "
              + seq
              + ", size "
              + size
              + ", file id "
              + fileId
              + "; expected >= 1, >= 0, >= 1");
    }
    if ((op == Change.Op.MOVE) != (previousPath != null)) {
      throw new IllegalArgumentException(
          op + " of " + path + " with previous path " + previousPath + "; only a MOVE has one");
    }
  }

  /** This version as a ledger change. */
  public Change change() {
    return new Change(seq, op, path, previousPath, hash, size, device, time);
  }
}
