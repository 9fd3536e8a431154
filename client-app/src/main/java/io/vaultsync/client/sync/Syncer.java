package io.vaultsync.client.sync;

import io.vaultsync.client.remote.WireCounter;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.core.transport.Change;
import io.vaultsync.core.transport.ChangePage;
import io.vaultsync.core.transport.VaultTransport;
import io.vaultsync.core.tree.Manifest;
import io.vaultsync.core.tree.NotePath;
import io.vaultsync.core.tree.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One-shot two-way sync of a vault folder: read the index, ask the server what changed since the
 * last seq (one call when nothing did; the whole manifest only on the first sync or when the server
 * no longer has the seqs asked for), scan the folder (a stat per unchanged file), plan, execute.
 * When the server refused steps as stale (someone changed those files meanwhile) it plans again, up
 * to {@value #MAX_ROUNDS} rounds.
 */
public final class Syncer {
  static final int MAX_ROUNDS = 4;
  static final int PAGE = 1000;

  private final VaultTransport transport;
  private final Clock clock;

  public Syncer(VaultTransport transport, Clock clock) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The plan a sync of {@code folder} would execute now; changes nothing. */
  public SyncPlan status(Path folder) throws IOException {
    StateFolder state = StateFolder.of(folder);
    VaultConfig config = state.config();
    LocalIndex index = state.readIndex();
    Path root = folder.toRealPath();
    RemoteView remote = remoteView(config.vault(), index);
    ScanResult scan = LocalScan.scan(root, index.manifest(), false);
    return SyncPlanner.plan(index, scan, remote);
  }

  /** Syncs {@code folder} with its vault. */
  public SyncReport sync(Path folder) throws IOException {
    return sync(folder, Set.of());
  }

  /**
   * Syncs {@code folder}, hashing the files at {@code rehash} even when their size and mtime equal
   * the index's: a file watcher saw them change, and a same-size edit within the file system's
   * mtime granularity would otherwise look unchanged.
   */
  public SyncReport sync(Path folder, Set<NotePath> rehash) throws IOException {
    long start = System.nanoTime();
    long sent0 = sent();
    long received0 = received();
    StateFolder state = StateFolder.of(folder);
    VaultConfig config = state.config();
    try (AutoCloseable lock = state.lock()) {
      return sync(folder, state, config, rehash, start, sent0, received0);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("releasing the sync lock of " + folder + " failed", e);
    }
  }

  private SyncReport sync(
      Path folder,
      StateFolder state,
      VaultConfig config,
      Set<NotePath> rehash,
      long start,
      long sent0,
      long received0)
      throws IOException {
    LocalIndex index = state.readIndex();
    Path root = folder.toRealPath();
    SafeFiles files = new SafeFiles(root);
    SyncTally tally = new SyncTally();
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      tally.skipped.clear();
      RemoteView remote = remoteView(config.vault(), index);
      Manifest previous = index.manifest();
      if (round == 1 && !rehash.isEmpty()) {
        previous =
            Manifest.of(
                previous.entries().stream().filter(e -> !rehash.contains(e.path())).toList());
      }
      ScanResult scan = LocalScan.scan(root, previous, true);
      SyncPlan plan = SyncPlanner.plan(index, scan, remote);
      int stale =
          new SyncExecutor(transport, config, state, files, index, scan, clock, tally)
              .execute(plan);
      if (stale == 0) {
        break;
      }
    }
    return new SyncReport(
        tally.up,
        tally.down,
        tally.moved,
        tally.deleted,
        tally.merged,
        tally.conflicts,
        tally.absorbed,
        tally.skipped,
        sent() - sent0,
        received() - received0,
        (System.nanoTime() - start) / 1_000_000,
        index.lastSeq());
  }

  /**
   * The server's state: changes since the index's seq folded over it; when the server compacted its
   * ledger past that seq, its newest snapshot plus the changes after it ({@link SnapshotCatchUp});
   * the manifest on a first sync or any other gap (a restored backup).
   */
  RemoteView remoteView(String vault, LocalIndex index) throws IOException {
    long after = index.lastSeq();
    if (after == 0) {
      return RemoteView.of(transport.manifest(vault), 0);
    }
    List<Change> changes = new ArrayList<>();
    long head = after;
    while (true) {
      ChangePage page = transport.changesSince(vault, after, PAGE);
      if (page.compactedAfter(after)) {
        RemoteView fromSnapshot = SnapshotCatchUp.view(transport, vault, index, PAGE);
        return fromSnapshot != null
            ? fromSnapshot
            : RemoteView.of(transport.manifest(vault), index.lastSeq());
      }
      if (page.headSeq() < index.lastSeq()
          || (page.changes().isEmpty() && page.headSeq() > after)
          || (!page.changes().isEmpty() && page.changes().get(0).seq() != after + 1)) {
        return RemoteView.of(transport.manifest(vault), index.lastSeq());
      }
      changes.addAll(page.changes());
      head = Math.max(head, page.headSeq());
      if (!page.changes().isEmpty()) {
        after = page.changes().get(page.changes().size() - 1).seq();
      }
      if (!page.hasMore()) {
        break;
      }
    }
    return RemoteView.fold(index, changes, head);
  }

  private long sent() {
    return transport instanceof WireCounter w ? w.bytesSent() : 0;
  }

  private long received() {
    return transport instanceof WireCounter w ? w.bytesReceived() : 0;
  }
}
