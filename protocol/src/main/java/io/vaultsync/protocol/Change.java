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
 * @param previousPath for {@link Op#MOVE}: where the file was; otherwise null
 * @param hash content after the change; for {@link Op#DELETE} the content that was deleted
 * @param size bytes of that content
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
    MOVE
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
    if ((op == Op.MOVE) != (previousPath != null)) {
      throw new IllegalArgumentException(
          op + " of " + path + " with previous path " + previousPath + "; only a MOVE has one");
    }
    if (confirmed && op != Op.DELETE) {
      throw new IllegalArgumentException(
          op + " of " + path + " marked confirmed; only a DELETE is confirmed");
    }
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
