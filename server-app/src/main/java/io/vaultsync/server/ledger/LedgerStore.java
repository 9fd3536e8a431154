package io.vaultsync.server.ledger;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.rules.NewChange;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Metadata and the ledger: vaults, each vault's append-only list of changes with strictly
 * increasing sequence numbers from 1, and the head state (the fold of the ledger: the current
 * version of each path). {@link #append} is the only write to the ledger and is atomic and durable.
 * SQLite now ({@link SqlLedgerStore}); PostgreSQL can come later behind this interface.
 *
 * <p>Methods naming a vault that does not exist throw {@link NotFoundException}. Thread-safe.
 */
public interface LedgerStore extends AutoCloseable {
  /**
   * Keeps {@code moves} ({@link Change.Op#MOVE_FOLDER} changes whose per-file moves are recorded)
   * for readers of folder moves ({@link io.vaultsync.protocol.FolderMoves}). This default keeps
   * none: readers then get per-file moves, which is also correct.
   */
  default void recordFolderMoves(VaultName vault, List<Change> moves) throws IOException {}

  /** See {@link io.vaultsync.protocol.FolderMoves.Lookup}; this default knows none. */
  default List<Change> folderMoves(VaultName vault, long afterSeq, long atMost) throws IOException {
    return List.of();
  }

  /**
   * Creates an empty vault.
   *
   * @throws IllegalArgumentException if it exists
   */
  void createVault(VaultName vault, Instant time) throws IOException;

  boolean exists(VaultName vault) throws IOException;

  /** Every vault, by name. */
  List<VaultInfo> vaults() throws IOException;

  /** The vault's latest sequence number (0: no change yet). */
  long headSeq(VaultName vault) throws IOException;

  /** The current version of {@code path}, if it exists. */
  Optional<RemoteEntry> head(VaultName vault, NotePath path) throws IOException;

  /**
   * The current versions of those of {@code paths} that exist, by path: read at once for a commit's
   * paths instead of a query per path. This default asks {@link #head} for each.
   */
  default java.util.Map<NotePath, RemoteEntry> heads(
      VaultName vault, java.util.Collection<NotePath> paths) throws IOException {
    java.util.Map<NotePath, RemoteEntry> out = new java.util.HashMap<>();
    for (NotePath p : paths) {
      head(vault, p).ifPresent(e -> out.put(p, e));
    }
    return out;
  }

  /**
   * Up to {@code limit} head paths below the folder {@code folder} ({@code folder/...}) and after
   * {@code after} (null: from the first), in {@link NotePath} order: whether a path may become a
   * file ({@code io.vaultsync.model.tree.TreeShape}). This default reads the whole manifest.
   */
  default List<NotePath> headPathsUnder(VaultName vault, NotePath folder, NotePath after, int limit)
      throws IOException {
    String prefix = folder.value() + "/";
    List<NotePath> out = new java.util.ArrayList<>();
    for (RemoteEntry e : manifest(vault).entries()) {
      if (out.size() >= limit) {
        break;
      }
      if (e.path().value().startsWith(prefix) && (after == null || e.path().compareTo(after) > 0)) {
        out.add(e.path());
      }
    }
    return out;
  }

  /**
   * The paths of {@code paths} that have a head file below them (that are folders at head): one
   * read for a whole commit instead of a query per path. This default asks {@link #headPathsUnder}
   * for each.
   */
  default Set<NotePath> foldersAmong(VaultName vault, java.util.Collection<NotePath> paths)
      throws IOException {
    Set<NotePath> out = new java.util.HashSet<>();
    for (NotePath p : paths) {
      if (!headPathsUnder(vault, p, null, 1).isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Every file at head, in {@link NotePath} order, with the head sequence number. */
  RemoteManifest manifest(VaultName vault) throws IOException;

  /**
   * Changes with seq above {@code afterSeq}, oldest first, at most {@code limit}; none when {@code
   * afterSeq} is below the compacted horizon ({@link ChangePage#horizonSeq}, see {@link
   * SnapshotStore#compact}).
   */
  ChangePage changesSince(VaultName vault, long afterSeq, int limit) throws IOException;

  /**
   * Appends {@code changes} with consecutive sequence numbers after {@code expectedHeadSeq} and
   * updates head state, in one durable transaction.
   *
   * @throws IllegalStateException if the head sequence is no longer {@code expectedHeadSeq}
   *     (nothing is written)
   */
  List<Change> append(
      VaultName vault, long expectedHeadSeq, List<NewChange> changes, String device, Instant time)
      throws IOException;

  /**
   * The version history, written by {@link #append} in the same transaction as the ledger rows and
   * kept when the ledger is compacted.
   */
  VersionHistory history();

  /** The sequence number up to which the master folder is known to mirror head (see below). */
  long mirroredSeq(VaultName vault) throws IOException;

  /**
   * Records that the master folder reflects every change up to {@code seq}. Changes after it may
   * not have reached the folder (a crash), so their paths are restored from head on start instead
   * of being read as edits.
   */
  void setMirroredSeq(VaultName vault, long seq) throws IOException;

  /**
   * The paths the vault's master folder still owes (a write into it failed or was blocked), each
   * with the reason of its last failure, in path order. Every change at or below {@link
   * #mirroredSeq} is either in the folder or has its path (both paths of a move) listed here.
   */
  java.util.SortedMap<NotePath, String> mirrorPending(VaultName vault) throws IOException;

  /**
   * Records a pass of master-folder writes in one transaction: each path of {@code failed} becomes
   * pending with its reason (keeping when it first failed), each of {@code written} stops being
   * pending, and the mirrored seq rises to {@code seq} if it is below. The caller has applied, or
   * listed in {@code failed}, every change up to {@code seq} that is not already at or below the
   * mirrored seq.
   *
   * @throws IllegalArgumentException if {@code seq} is above head or a path is in both sets
   */
  void recordMirrored(
      VaultName vault,
      long seq,
      java.util.Map<NotePath, String> failed,
      java.util.Collection<NotePath> written,
      Instant time)
      throws IOException;

  /** Paths (and previous paths of moves) touched by changes with seq above {@code afterSeq}. */
  Set<NotePath> pathsChangedAfter(VaultName vault, long afterSeq) throws IOException;

  @Override
  void close() throws IOException;

  /** The standard message for an unknown vault. */
  static NotFoundException noVault(VaultName vault) {
    return new NotFoundException("no vault \"" + vault + "\"");
  }
}
