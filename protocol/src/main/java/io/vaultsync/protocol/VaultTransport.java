package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * What a sync client needs from a remote vault. File content always travels as a delta in the
 * format of docs/FORMAT.md against a version the receiving side already has, named by its content
 * hash; a null base means "nothing" (the delta is all literal, LZ4-compressed).
 *
 * <p>Every change the remote accepts gets a sequence number, strictly increasing per vault, so
 * "what changed since 4790?" is one call. Writes name the version they replace ({@code expected} /
 * {@code base}); when that is not the current version the call fails with {@link
 * StaleVersionException} and changes nothing, so a client can never overwrite an edit it has not
 * seen.
 *
 * <p>Implementations: {@code InProcessVaultTransport} (in memory, the reference; module
 * protocol-testkit), and the gRPC client in module transport-grpc.
 */
public interface VaultTransport extends AutoCloseable {
  /** Creates an empty vault; fails if one of that name exists. */
  void createVault(String vault) throws IOException;

  /** The vaults this remote holds, by name. */
  List<VaultInfo> listVaults() throws IOException;

  /**
   * Changes with sequence numbers above {@code afterSeq}, oldest first, at most {@code limit}. When
   * the remote compacted its ledger past {@code afterSeq} the page has no changes and says so
   * ({@link ChangePage#compactedAfter}): catch up from {@link #snapshot} and {@link
   * #snapshotManifest} plus the changes after the snapshot's seq.
   */
  ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException;

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

  /** Most files one {@link #fetchMany} call may name. */
  int MAX_FETCH_ITEMS = 1_000;

  /**
   * Fetches many files in one call: for each item, in order, the delta {@link #fetch} would write,
   * handed to {@code receiver} with per-file framing (see {@link FetchReceiver}). A target the
   * remote does not store is reported for that item and the others go on. The receiver checks each
   * file's hash as it would after {@link #fetch}. This default calls {@link #fetch} per item; a
   * remote answers the whole batch in one round trip.
   *
   * @throws IllegalArgumentException if {@code items} is empty or longer than {@link
   *     #MAX_FETCH_ITEMS}
   * @throws NotFoundException if the vault does not exist
   */
  default void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    checkFetchItems(items.size());
    boolean vaultChecked = false;
    for (int i = 0; i < items.size(); i++) {
      FetchItem item = items.get(i);
      FetchReceiver.Lazy out = new FetchReceiver.Lazy(receiver, i);
      try {
        fetch(vault, item.target(), item.base(), out);
      } catch (NotFoundException e) {
        if (out.begun()) {
          throw e;
        }
        if (!vaultChecked && listVaults().stream().noneMatch(v -> v.name().equals(vault))) {
          throw e; // an unknown vault fails the whole call
        }
        vaultChecked = true;
        receiver.notFound(i, e.getMessage());
        continue;
      }
      out.stream(); // an empty delta still begins
      receiver.end(i);
    }
  }

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

  /** Checks the item count of {@link #fetchMany}. */
  static void checkFetchItems(int count) {
    if (count < 1 || count > MAX_FETCH_ITEMS) {
      throw new IllegalArgumentException(
          "batched fetch of " + count + " files; expected 1 to " + MAX_FETCH_ITEMS);
    }
  }

  /**
   * Sets {@code path} to the content that {@code delta} makes from {@code base} (null: a new file,
   * which must not exist yet). The remote applies the delta to its copy of the base and checks the
   * whole-file hash before anything becomes visible.
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
   * order. A corrupt delta fails the whole batch with its {@code FormatException}, and nothing is
   * recorded.
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

  /**
   * The newest snapshot the remote keeps of the vault; with {@code createNow}, one taken at the
   * head now (the newest one when it is already at the head).
   *
   * @throws NotFoundException if the vault does not exist, or keeps no snapshot and {@code
   *     createNow} is false, or the remote keeps no snapshots at all (this default)
   */
  default SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    throw new NotFoundException("the remote keeps no snapshots (vault \"" + vault + "\")");
  }

  /**
   * Every file of the kept snapshot at {@code seq}, in path order; {@link RemoteManifest#headSeq}
   * is {@code seq}.
   *
   * @throws NotFoundException if the vault does not exist or keeps no snapshot at {@code seq}
   */
  default RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    throw new NotFoundException(
        "the remote keeps no snapshots (vault \"" + vault + "\", seq " + seq + ")");
  }

  /**
   * Makes a private, read-only share link to {@code path} (a file or a folder at the head). The
   * returned URL holds a secret token that the remote keeps only as a hash. A remote records the
   * device it authenticated, not {@code device}, when it has one.
   *
   * @param expires when the link stops working, or null for never
   * @param password a password the opener must type, or null
   * @throws NotFoundException if the vault does not exist or nothing is at or under {@code path}
   * @throws InvalidRequestException if the remote cannot make links (it serves no HTTP) or the
   *     expiry or password is out of bounds
   */
  default CreatedShare createShare(
      String vault, NotePath path, java.time.Instant expires, char[] password, String device)
      throws IOException {
    throw new UnsupportedOperationException("createShare");
  }

  /**
   * The vault's share links, newest first, revoked and expired ones included.
   *
   * @throws NotFoundException if the vault does not exist
   */
  default List<ShareInfo> listShares(String vault) throws IOException {
    throw new UnsupportedOperationException("listShares");
  }

  /**
   * Revokes the vault's share link {@code id}: it answers 404 from now on.
   *
   * @throws NotFoundException if the vault has no link with that id
   */
  default void revokeShare(String vault, String id) throws IOException {
    throw new UnsupportedOperationException("revokeShare");
  }

  /** Most versions one {@link #history} call asks for. */
  int MAX_HISTORY_LIMIT = 10_000;

  /**
   * Versions of {@code path} (null: every path of the vault), newest first, with seq below {@code
   * beforeSeq} ({@link Long#MAX_VALUE}: from the newest), at most {@code limit}: every change the
   * remote recorded, deletes included, each as the ledger {@link Change} that made it (a DELETE
   * carries the content it removed). A path's versions include the moves that took a file away from
   * it ({@link Change#previousPath} is {@code path}). A remote may return fewer than {@code limit}
   * (a size cap); ask again with the last seq returned as {@code beforeSeq} until a page is empty.
   * The remote keeps versions past its ledger compaction; old ones may be thinned by its retention.
   *
   * @throws IllegalArgumentException if {@code beforeSeq < 1} or {@code limit} is not in 1..{@link
   *     #MAX_HISTORY_LIMIT}
   * @throws NotFoundException if the vault does not exist
   */
  default List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    throw new UnsupportedOperationException("this transport keeps no history");
  }

  /**
   * The last seq the remote recorded at or before {@code time} (0 if none).
   *
   * @throws NotFoundException if the vault does not exist
   */
  default long seqAt(String vault, Instant time) throws IOException {
    throw new UnsupportedOperationException("this transport keeps no history");
  }

  /**
   * Every file of the vault right after {@code seq} (the head when {@code seq} is at or past it),
   * in path order; {@link RemoteManifest#headSeq} is {@code min(seq, head)}.
   *
   * @throws NotFoundException if the vault does not exist or its history before {@code seq} was
   *     thinned
   * @throws IllegalArgumentException if {@code seq < 0}
   */
  default RemoteManifest manifestAt(String vault, long seq) throws IOException {
    throw new UnsupportedOperationException("this transport keeps no history");
  }

  /** Checks the arguments of {@link #history}. */
  static void checkHistoryArguments(long beforeSeq, int limit) {
    if (beforeSeq < 1 || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new IllegalArgumentException(
          "history before seq "
              + beforeSeq
              + ", limit "
              + limit
              + "; expected a seq >= 1 and a limit of 1 to "
              + MAX_HISTORY_LIMIT);
    }
  }

  @Override
  void close() throws IOException;
}
