package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What a syncing client calls: the ledger (changes since a seq, a live subscription), the head,
 * content (fetch, push, give back) and commits. File content always travels as a delta in the
 * format of docs/FORMAT.md against a version the receiving side already has, named by its content
 * hash; a null base means "nothing" (the delta is all literal, LZ4-compressed).
 *
 * <p>Every change the remote accepts gets a sequence number, strictly increasing per vault, so
 * "what changed since 4790?" is one call. Writes name the version they replace ({@code expected} /
 * {@code base}); when that is not the current version the call fails with {@link
 * StaleVersionException} and changes nothing, so a client can never overwrite an edit it has not
 * seen. One role of {@link VaultTransport}.
 *
 * <p>A bad argument (a negative seq, a limit out of range, a batch over {@link Limits}, a corrupt
 * delta, a vault name no remote takes) is {@link InvalidRequestException} naming the value, whether
 * the remote is in this process or across a wire, and changes nothing ({@link VaultTransport}'s
 * {@code check*} methods are the checks, one place for every implementation).
 */
public interface SyncProtocol {
  /**
   * Changes with sequence numbers above {@code afterSeq}, oldest first, at most {@code limit}. When
   * the remote compacted its ledger past {@code afterSeq} the page has no changes and says so
   * ({@link ChangePage#compactedAfter}): catch up from {@link HistoryProtocol#snapshot} and {@link
   * HistoryProtocol#snapshotManifest} plus the changes after the snapshot's seq.
   *
   * @throws InvalidRequestException if {@code afterSeq < 0} or {@code limit < 1}
   */
  ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException;

  /**
   * {@link #changesSince(String, long, int)}, with each folder move recorded after {@code afterSeq}
   * as one {@link Change.Op#MOVE_FOLDER} change when {@code folderMoves} (see {@link FolderMoves});
   * per-file moves otherwise. This default, for a remote that records no folder moves, always
   * answers per file, which is also correct for a reader that asked.
   */
  default ChangePage changesSince(String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    return changesSince(vault, afterSeq, limit);
  }

  /**
   * Streams the changes of {@code vault} after {@code afterSeq} to {@code listener} as the remote
   * records them: first the backlog, then each new change, in order, each exactly once, until the
   * subscription is closed or the listener is told {@link ChangeListener#onClosed}. What a live
   * client ({@code vaultsync watch}) waits on instead of polling.
   *
   * @throws NotFoundException if the vault does not exist; a transport that learns it only from the
   *     remote's answer (gRPC's server stream) tells {@link ChangeListener#onClosed} so instead
   */
  Subscription subscribe(String vault, long afterSeq, ChangeListener listener) throws IOException;

  /**
   * {@link #subscribe(String, long, ChangeListener)}, delivering folder moves as one change each
   * when {@code folderMoves} (as {@link #changesSince(String, long, int, boolean)} does).
   */
  default Subscription subscribe(
      String vault, long afterSeq, ChangeListener listener, boolean folderMoves)
      throws IOException {
    return subscribe(vault, afterSeq, listener);
  }

  /**
   * Whether the remote takes {@link Mutation.MoveFolder} (and records folder moves): true for a
   * remote that implements them; a client of a remote across a wire learns it from an answer to
   * {@link #changesSince(String, long, int, boolean)} asking for folder moves, and sends per-file
   * moves until then.
   */
  default boolean takesFolderMoves() {
    return false;
  }

  /** Every file of the vault at its head. */
  RemoteManifest manifest(String vault) throws IOException;

  /**
   * Writes to {@code deltaOut} a delta that turns the content with hash {@code base} (null: empty)
   * into the content with hash {@code target}. Content is addressed by hash and immutable, so any
   * version the remote stores can be fetched: the current one (its hash comes from {@link
   * #manifest} or {@link #changesSince}) or an older one (the base of a three-way merge). A
   * transport that retries a fetch cut midway writes the delta again from its first byte only into
   * a {@link RestartableOutput} (after restarting it); into any other stream it retries only before
   * the first byte.
   *
   * <p>A {@code base} the remote does not store (never had, lost, or found damaged) costs only
   * bytes: the delta is then encoded against nothing (all literal), which makes the target from
   * whatever basis the receiver applies it to.
   *
   * @throws NotFoundException if the vault does not exist or stores no content {@code target}
   */
  void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException;

  /**
   * Fetches many files in one call: for each item, in order, the delta {@link #fetch} would write,
   * handed to {@code receiver} with per-file framing (see {@link FetchReceiver}). A target the
   * remote does not store is reported for that item and the others go on. The receiver checks each
   * file's hash as it would after {@link #fetch}. A remote answers the whole batch in one round
   * trip ({@link VaultTransport} has a default that calls {@link #fetch} per item).
   *
   * @throws InvalidRequestException if {@code items} is empty or longer than {@link
   *     Limits#FETCH_ITEMS}
   * @throws NotFoundException if the vault does not exist
   */
  void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver) throws IOException;

  /**
   * Gives back content the remote lacks: the bytes of {@code hash}, as a delta against empty
   * content (docs/FORMAT.md section 4), which a device sends when a {@link ChangePage#wanted} page
   * asked for them. The remote patches the delta, checks that the result hashes to {@code hash} and
   * stores it; it takes only content it wants. This default takes nothing.
   *
   * @return whether the remote stored it (false: it did not want it, e.g. another device gave it
   *     back first)
   * @throws InvalidRequestException if the bytes do not hash to {@code hash}
   * @throws NotFoundException if the vault does not exist
   */
  default boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    return false;
  }

  /**
   * Sets {@code path} to the content that {@code delta} makes from {@code base} (null: a new file,
   * which must not exist yet). The remote applies the delta to its copy of the base and checks the
   * whole-file hash before anything becomes visible; a corrupt delta is {@link
   * InvalidRequestException} and stores nothing.
   *
   * @return the new version, with its sequence number
   * @throws StaleVersionException if {@code base} is not the current version of {@code path}
   * @throws PathRefusedException if no client could hold a file at {@code path} ({@link
   *     io.vaultsync.model.tree.TreeShape}: below a file, where a folder of files is, or under a
   *     client-internal name)
   */
  RemoteEntry push(String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException;

  /**
   * Applies a batch of small changes: each mutation is checked against the current version in order
   * (a stale one is skipped and reported, the others go on; so is one whose path no client could
   * hold, {@link Outcome.Refused}, see {@link io.vaultsync.model.tree.TreeShape}), every delta is
   * applied and its whole-file hash checked before anything is recorded, and the applied ones
   * become durable together and get consecutive sequence numbers. One outcome per mutation, in
   * order. A corrupt delta fails the whole batch with {@link InvalidRequestException}, and nothing
   * is recorded; so does a batch of more than {@link Limits#COMMIT_MUTATIONS} mutations at a remote
   * (a transport that frames calls, as the gRPC client does, may instead send it as several commits
   * of at most that many, each atomic on its own).
   *
   * <p>A remote may refuse the whole batch with {@link MassDeleteRefusedException} when it would
   * delete more files than the remote's {@link DeleteLimits} and {@code options} do not allow mass
   * deletes. A remote counts a call's deletes together with the same device's deletes committed
   * without the permission in the last {@link DeleteLimits#WINDOW} (against the files there were
   * before them), so a mass delete cut into small calls is refused too; a client that splits one
   * sync into several calls sends the same options with every call. The deletes of a call that
   * allows mass deletes are recorded as confirmed ({@link Change#confirmed()}), so other devices'
   * guards do not hold them back again.
   */
  List<Outcome> commit(String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException;

  /** {@link #commit(String, List, String, CommitOptions)} with mass deletes refused. */
  default List<Outcome> commit(String vault, List<Mutation> mutations, String device)
      throws IOException {
    return commit(vault, mutations, device, CommitOptions.DEFAULTS);
  }

  /** Deletes {@code path} if its current version is {@code expected}; returns the change. */
  default Change delete(String vault, NotePath path, ContentHash expected, String device)
      throws IOException {
    return single(vault, commit(vault, List.of(new Mutation.Delete(path, expected)), device));
  }

  /**
   * Moves {@code from} (whose current version must be {@code expected}) to {@code to}, which must
   * not exist. No content travels.
   */
  default Change move(String vault, NotePath from, NotePath to, ContentHash expected, String device)
      throws IOException {
    return single(vault, commit(vault, List.of(new Mutation.Move(from, to, expected)), device));
  }

  /**
   * Moves every file below the folder {@code from} below {@code to} in one change, if the folder
   * holds exactly {@code files} files with the Merkle root {@code root} ({@link
   * Mutation.MoveFolder}).
   *
   * @return the {@link Change.Op#MOVE_FOLDER} change
   */
  default Change moveFolder(
      String vault,
      NotePath from,
      NotePath to,
      long files,
      io.vaultsync.model.tree.MerkleRoot root,
      String device)
      throws IOException {
    return single(
        vault, commit(vault, List.of(new Mutation.MoveFolder(from, to, files, root)), device));
  }

  private static Change single(String vault, List<Outcome> outcomes) throws TransportException {
    Outcome o = outcomes.get(0);
    if (o instanceof Outcome.Stale s) {
      throw new StaleVersionException(vault, s.path().value(), null, s.current());
    }
    if (o instanceof Outcome.Refused r) {
      throw new PathRefusedException(vault, r.path().value(), r.reason());
    }
    return ((Outcome.Applied) o).change();
  }

  /**
   * The Merkle root of the vault's head (docs/FORMAT.md section 8), with its seq and file count.
   * This default computes it from {@link #manifest}; a remote answers it without listing files.
   */
  default VaultRoot root(String vault) throws IOException {
    return VaultRoot.of(manifest(vault));
  }
}
