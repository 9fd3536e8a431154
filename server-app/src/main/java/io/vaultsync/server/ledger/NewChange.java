package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.Change;
import io.vaultsync.core.tree.NotePath;
import java.util.Objects;

/**
 * A change about to be appended to the ledger: a {@link Change} before it has a sequence number,
 * device and time (those are the batch's).
 */
public record NewChange(
    Change.Op op, NotePath path, NotePath previousPath, ContentHash hash, long size) {
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
