package io.vaultsync.server.ledger;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * The version history of each vault: every change the ledger recorded, kept in its own table so
 * that ledger compaction (issue 4) does not remove it; retention (issue 5) thins it instead. Rows
 * are written in the same transaction as the ledger append, so history and ledger never disagree.
 *
 * <p>History may have been thinned: rows older than a vault's history floor may be missing, so the
 * state of the vault at a seq below the floor is unknown ({@link #manifestAt} and {@link #fileIdAt}
 * throw {@link NotFoundException}), while {@link #versions} lists what is kept. The head version of
 * every file is always kept.
 *
 * <p>Methods naming a vault that does not exist throw {@link NotFoundException}. Thread-safe.
 */
public interface VersionHistory {
  /** Most versions one {@link #versions} call returns. */
  int MAX_LIMIT = 10_000;

  /**
   * Versions of {@code path} (null: the whole vault), newest first, with seq < {@code beforeSeq},
   * at most {@code limit}; deletes included. A path's versions include the moves that took a file
   * away from it (their {@code previousPath} is {@code path}).
   *
   * @throws IllegalArgumentException if {@code beforeSeq < 1} or {@code limit} is not in 1..{@value
   *     #MAX_LIMIT}
   */
  List<FileVersion> versions(VaultName vault, NotePath path, long beforeSeq, int limit)
      throws IOException;

  /**
   * The vault's files right after {@code seq} (the head if {@code seq} >= head), in path order;
   * {@link RemoteManifest#headSeq} is {@code min(seq, head)}.
   *
   * @throws NotFoundException if {@code seq} is older than the kept history ("history before seq X
   *     was thinned")
   * @throws IllegalArgumentException if {@code seq < 0}
   */
  RemoteManifest manifestAt(VaultName vault, long seq) throws IOException;

  /** The last seq recorded at or before {@code time} (0 if none). */
  long seqAt(VaultName vault, Instant time) throws IOException;

  /**
   * The stable id of the file at {@code path} right after {@code seq}: a new id (the seq of its
   * creation) when a file is created at a path that had none, kept across edits and moves (a MOVE
   * carries the source's id), ended by DELETE. Empty if no file is there.
   *
   * @throws NotFoundException if {@code seq} is older than the kept history
   */
  OptionalLong fileIdAt(VaultName vault, NotePath path, long seq) throws IOException;
}
