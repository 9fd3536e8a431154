package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.time.Instant;

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
  /**
   * A version follows a change's rules ({@link Change}: fields, seq, size, moves) and has a file
   * id.
   */
  public FileVersion {
    new Change(seq, op, path, previousPath, hash, size, device, time); // throws if it breaks one
    if (fileId < 1) {
      throw new IllegalArgumentException(
          "version seq " + seq + " of " + path + " with file id " + fileId + "; expected >= 1");
    }
  }

  /** This version as a ledger change. */
  public Change change() {
    return new Change(seq, op, path, previousPath, hash, size, device, time);
  }
}
