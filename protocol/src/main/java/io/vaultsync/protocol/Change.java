package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a vault's ledger.
 *
 * @param seq sequence number, strictly increasing per vault, from 1
 * @param op what happened
 * @param path the path after the change
 * @param previousPath for {@link Op#MOVE}: where the file was; for {@link Op#MOVE_FOLDER}: where
 *     the folder was; otherwise null
 * @param hash content after the change; for {@link Op#DELETE} the content that was deleted; for
 *     {@link Op#MOVE_FOLDER} the Merkle root of the moved files as they were (their old paths)
 * @param size bytes of that content; for {@link Op#MOVE_FOLDER} the number of files moved
 * @param device the device that made the change
 * @param time when the remote recorded it
 * @param confirmed for {@link Op#DELETE}: the delete was committed with mass deletes allowed
 *     ({@link CommitOptions#allowMassDelete()}), i.e. a person confirmed it, so another device's
 *     mass-delete guard does not hold it back again; always false for other ops and from remotes
 *     that do not record it
 */
public record Change(
    long seq,
    Op op,
    NotePath path,
    NotePath previousPath,
    ContentHash hash,
    long size,
    String device,
    Instant time,
    boolean confirmed) {
  /** Kinds of change. */
  public enum Op {
    PUT,
    DELETE,
    MOVE,
    /**
     * Every file below the folder {@code previousPath} moved below {@code path}, keeping its name
     * relative to the folder: one change for what the ledger records as {@code size} per-file
     * {@link #MOVE}s numbered {@code seq - size + 1 .. seq} (see {@link #firstSeq}). Only a reader
     * that asked for folder moves ({@link SyncProtocol#changesSince(String, long, int, boolean)})
     * gets one; the others get those per-file moves.
     */
    MOVE_FOLDER
  }

  public Change {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(time, "time");
    if (seq < 1 || size < 0) {
      throw new IllegalArgumentException(
          "change seq " + seq + ", size " + size + "; expected >= 1, >= 0");
    }
    if ((op == Op.MOVE || op == Op.MOVE_FOLDER) != (previousPath != null)) {
      throw new IllegalArgumentException(
          op + " of " + path + " with previous path " + previousPath + "; only a move has one");
    }
    if (op == Op.MOVE_FOLDER && (size < 1 || size > seq)) {
      throw new IllegalArgumentException(
          "folder move of "
              + previousPath
              + " to "
              + path
              + " at seq "
              + seq
              + " with "
              + size
              + " files; expected 1 to "
              + seq);
    }
    if (confirmed && op != Op.DELETE) {
      throw new IllegalArgumentException(
          op + " of " + path + " marked confirmed; only a DELETE is confirmed");
    }
  }

  /**
   * The first ledger seq this change stands for: {@code seq} for a file's change, {@code seq - size
   * + 1} for a {@link Op#MOVE_FOLDER} (one seq per file moved).
   */
  public long firstSeq() {
    return op == Op.MOVE_FOLDER ? seq - size + 1 : seq;
  }

  /** A change that is not a confirmed delete. */
  public Change(
      long seq,
      Op op,
      NotePath path,
      NotePath previousPath,
      ContentHash hash,
      long size,
      String device,
      Instant time) {
    this(seq, op, path, previousPath, hash, size, device, time, false);
  }
}
