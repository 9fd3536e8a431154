package io.vaultsync.protocol;

import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Versions, point-in-time views and snapshots of a vault. One role of {@link VaultTransport}. */
public interface HistoryProtocol {
  /**
   * Versions of {@code path} (null: every path of the vault), newest first, with seq below {@code
   * beforeSeq} ({@link Long#MAX_VALUE}: from the newest), at most {@code limit}: every change the
   * remote recorded, deletes included, each as the ledger {@link Change} that made it (a DELETE
   * carries the content it removed). A path's versions include the moves that took a file away from
   * it ({@link Change#previousPath} is {@code path}). A remote may return fewer than {@code limit}
   * (a size cap); ask again with the last seq returned as {@code beforeSeq} until a page is empty.
   * The remote keeps versions past its ledger compaction; old ones may be thinned by its retention.
   *
   * @throws InvalidRequestException if {@code beforeSeq < 1} or {@code limit} is not in 1..{@link
   *     Limits#HISTORY_VERSIONS}
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
   * {@code time} as milliseconds since the epoch for a {@link #seqAt} lookup: a time too far in the
   * past or future for a {@code long} becomes {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}
   * (before everything, after everything) instead of failing.
   */
  static long seqAtMillis(Instant time) {
    try {
      return time.toEpochMilli();
    } catch (ArithmeticException e) {
      return time.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Every file of the vault right after {@code seq} (the head when {@code seq} is at or past it),
   * in path order; {@link RemoteManifest#headSeq} is {@code min(seq, head)}.
   *
   * @throws NotFoundException if the vault does not exist or its history before {@code seq} was
   *     thinned
   * @throws InvalidRequestException if {@code seq < 0}
   */
  default RemoteManifest manifestAt(String vault, long seq) throws IOException {
    throw new UnsupportedOperationException("this transport keeps no history");
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
   * @throws InvalidRequestException if {@code seq < 0}
   */
  default RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    throw new NotFoundException(
        "the remote keeps no snapshots (vault \"" + vault + "\", seq " + seq + ")");
  }
}
