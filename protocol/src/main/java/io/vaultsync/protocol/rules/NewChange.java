package io.vaultsync.protocol.rules;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.time.Instant;
import java.util.Objects;

/**
 * A change a commit will record: a {@link Change} before it has a sequence number, device and time
 * (those are the batch's). {@link CommitRules} decides these; a server's ledger appends them.
 *
 * @param confirmed for a delete: committed with mass deletes allowed ({@link Change#confirmed()})
 */
public record NewChange(
    Change.Op op,
    NotePath path,
    NotePath previousPath,
    ContentHash hash,
    long size,
    boolean confirmed) {
  public NewChange {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hash, "hash");
    if (size < 0) {
      throw new IllegalArgumentException("change of " + path + " with size " + size);
    }
    if ((op == Change.Op.MOVE) != (previousPath != null)) {
      throw new IllegalArgumentException(
          op + " of " + path + " with previous path " + previousPath + "; only a MOVE has one");
    }
    if (confirmed && op != Change.Op.DELETE) {
      throw new IllegalArgumentException(op + " of " + path + " confirmed; only a DELETE is");
    }
  }

  /** A change that is not a confirmed delete. */
  public NewChange(
      Change.Op op, NotePath path, NotePath previousPath, ContentHash hash, long size) {
    this(op, path, previousPath, hash, size, false);
  }

  /** The {@link Change} a ledger records for this one: number {@code seq}, by {@code device}. */
  public Change recorded(long seq, String device, Instant time) {
    return new Change(seq, op, path, previousPath, hash, size, device, time, confirmed);
  }

  /** This delete, confirmed by a person ({@code --allow-mass-delete}). */
  public NewChange asConfirmed() {
    return new NewChange(op, path, previousPath, hash, size, true);
  }

  public static NewChange put(NotePath path, ContentHash hash, long size) {
    return new NewChange(Change.Op.PUT, path, null, hash, size);
  }

  public static NewChange delete(NotePath path, ContentHash hash, long size) {
    return new NewChange(Change.Op.DELETE, path, null, hash, size);
  }

  public static NewChange move(NotePath from, NotePath to, ContentHash hash, long size) {
    return new NewChange(Change.Op.MOVE, to, from, hash, size);
  }
}
