package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.protocol.NotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive downloads of small files of one round, run as {@link DownloadBatch}es (one batched
 * fetch and one fsync round per batch). The executor flushes the queue before any other local step,
 * so the plan's order holds; a full batch runs at once and the index is written after it, so an
 * interrupted clone keeps what its full batches wrote.
 */
final class DownloadQueue {
  private final Round round;
  private final DownloadBatch downloads;

  /** Small downloads waiting to run as one batch, and their content bytes. */
  private final List<DownloadBatch.Request> pending = new ArrayList<>();

  private long pendingBytes;

  DownloadQueue(Round round) {
    this.round = round;
    this.downloads = new DownloadBatch(round.transport(), round.vault(), round.files());
  }

  /** Whether {@code d} is small enough to go through the queue. */
  static boolean takes(SyncAction a) {
    return a instanceof SyncAction.Download d && d.remote().size() <= DownloadBatch.MAX_FILE_BYTES;
  }

  /** Adds a small download to the pending batch, running the batch when it is full. */
  void add(SyncAction.Download d) throws IOException {
    if (pending.size() >= DownloadBatch.MAX_FILES
        || pendingBytes + d.remote().size() > DownloadBatch.MAX_BYTES) {
      flush();
      round.state().writeIndex(round.index()); // an interrupted clone keeps what its batches wrote
    }
    pending.add(
        new DownloadBatch.Request(d.path(), d.remote(), d.localBase(), round.seen().at(d.path())));
    pendingBytes += d.remote().size();
  }

  /** Runs the pending downloads as one {@link DownloadBatch} and records what it wrote. */
  void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    List<DownloadBatch.Request> batch = new ArrayList<>(pending);
    pending.clear();
    pendingBytes = 0;
    RoundLedger ledger = round.ledger();
    DownloadBatch.Result result;
    try {
      result = downloads.run(batch);
    } catch (NotFoundException e) {
      for (DownloadBatch.Request r : batch) {
        ledger.leaveOut(NotSynced.serverLacks(r.path().value(), e.getMessage()));
        ledger.fileDone(r.path(), r.remote().size());
      }
      return;
    }
    for (IndexEntry e : result.written()) {
      round.index().put(e);
      round.tally().down();
    }
    result.skipped().forEach((path, why) -> ledger.skip(path, why.kind(), why.reason()));
    for (DownloadBatch.Request r : batch) {
      ledger.fileDone(r.path(), r.remote().size());
    }
  }
}
