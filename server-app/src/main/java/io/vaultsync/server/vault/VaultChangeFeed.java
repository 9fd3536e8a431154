package io.vaultsync.server.vault;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeFeed;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.FolderMoves;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.SnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The vaults' changes as readers see them: pages of changes since a seq (from the {@link
 * ChangeCache} while it reaches back, else from the ledger, never below the compacted horizon), and
 * the live subscriptions, to which each recorded change fans out ({@link #published}). Thread-safe.
 */
final class VaultChangeFeed implements AutoCloseable {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(VaultChangeFeed.class);

  /** How long a cached compacted horizon is trusted (another process may compact meanwhile). */
  static final Duration HORIZON_TTL = Duration.ofSeconds(30);

  private final LedgerStore ledger;

  /** The snapshots, whose compaction sets the horizon; null: none (the horizon stays 0). */
  private final SnapshotStore snapshots;

  private final ChangeCache cache;
  private final ContentRepair repair;

  /** Each vault's compacted horizon and when it was read, so memory answers honour it. */
  private final Map<VaultName, long[]> horizons = new ConcurrentHashMap<>();

  /**
   * Runs the change feed's deliveries: a few threads for any number of subscribers, since a
   * delivery takes microseconds and never waits for a slow client (the feed pauses that subscriber
   * instead). A cached pool started ~100 threads per fan-out to 1,000 watchers, which made each
   * commit wait ~100 ms for thread creation.
   */
  private final ExecutorService feedThreads =
      Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "vaultsync-feed");
            t.setDaemon(true);
            return t;
          });

  private final ChangeFeed feed =
      new ChangeFeed(
          this::changesSince,
          (v, after, limit) -> changesSince(v, after, limit, true),
          feedThreads);

  /**
   * Reads the ledger of each subscribed vault every {@link ChangeSignals#POLL}, for the commits of
   * other processes whose signal was lost; null for a process alone (it hears its own commits).
   */
  private final ScheduledExecutorService poller;

  VaultChangeFeed(
      LedgerStore ledger,
      SnapshotStore snapshots,
      ChangeCache cache,
      ContentRepair repair,
      ChangeSignals signals) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.snapshots = snapshots;
    this.cache = Objects.requireNonNull(cache, "cache");
    this.repair = Objects.requireNonNull(repair, "repair");
    Objects.requireNonNull(signals, "signals");
    signals.listen((vault, seq) -> feed.published(vault.value(), seq));
    if (signals == ChangeSignals.NONE) {
      this.poller = null;
    } else {
      this.poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "vaultsync-feed-poll");
                t.setDaemon(true);
                return t;
              });
      long every = ChangeSignals.POLL.toMillis();
      poller.scheduleWithFixedDelay(this::pollLedger, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Signals each subscribed vault's head as the ledger has it now (the truth behind signals). */
  private void pollLedger() {
    for (String vault : feed.subscribedVaults()) {
      try {
        feed.published(vault, ledger.headSeq(VaultNames.parse(vault)));
      } catch (IOException | RuntimeException e) {
        log.warn("change feed: cannot read the head of vault {}: {}", vault, e.toString());
      }
    }
  }

  /** See {@link io.vaultsync.protocol.VaultTransport#changesSince}. */
  ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    VaultName name = VaultNames.parse(vault);
    if (afterSeq >= 0 && limit >= 1) {
      ChangePage page = cache.after(name, afterSeq, limit);
      if (page != null) {
        long horizon = horizon(name);
        if (afterSeq >= horizon) {
          return withWanted(
              name,
              new ChangePage(page.changes(), page.headSeq(), Math.min(horizon, page.headSeq())));
        }
        // Below the horizon: say so, as the ledger does, even though memory still has them.
      }
    }
    ChangePage page = ledger.changesSince(name, afterSeq, limit);
    if (snapshots != null) {
      horizons.put(name, new long[] {page.horizonSeq(), System.nanoTime()});
    }
    return withWanted(name, page);
  }

  /**
   * See {@link io.vaultsync.protocol.VaultTransport#changesSince(String, long, int, boolean)}: the
   * page with each folder move that starts in it as one change ({@link FolderMoves}).
   */
  ChangePage changesSince(String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    ChangePage page = changesSince(vault, afterSeq, limit);
    if (!folderMoves) {
      return page;
    }
    VaultName name = VaultNames.parse(vault);
    return FolderMoves.collapse(
        page, afterSeq, (after, atMost) -> ledger.folderMoves(name, after, atMost));
  }

  /** {@code page} asking for the wanted content the vault's head names (usually none). */
  private ChangePage withWanted(VaultName name, ChangePage page) throws IOException {
    List<ContentHash> atHead = repair.wantedAtHead(name);
    return atHead.isEmpty() ? page : page.withWanted(atHead);
  }

  /** See {@link io.vaultsync.protocol.VaultTransport#subscribe}. */
  Subscription subscribe(String vault, long afterSeq, ChangeListener listener, boolean folderMoves)
      throws IOException {
    VaultNames.existing(ledger, vault);
    return feed.subscribe(vault, afterSeq, listener, folderMoves);
  }

  /** Live subscriptions of {@code vault}. */
  int subscribers(String vault) {
    return feed.subscribers(vault);
  }

  /** Hands changes just recorded in {@code vault} to the cache and the subscribers. */
  void published(VaultName vault, List<Change> recorded) {
    cache.add(vault, recorded);
    feed.published(vault.value(), recorded.get(recorded.size() - 1).seq());
  }

  /** The ledger of {@code vault} was compacted up to {@code horizon}: answer so at once. */
  void horizonMoved(VaultName vault, long horizon) {
    horizons.put(vault, new long[] {horizon, System.nanoTime()});
  }

  /** The compacted horizon, from a cache refreshed every {@link #HORIZON_TTL}. */
  private long horizon(VaultName name) throws IOException {
    if (snapshots == null) {
      return 0;
    }
    long[] cached = horizons.get(name);
    if (cached == null || System.nanoTime() - cached[1] > HORIZON_TTL.toNanos()) {
      cached = new long[] {snapshots.horizon(name), System.nanoTime()};
      horizons.put(name, cached);
    }
    return cached[0];
  }

  /** Ends every subscription and stops the delivery threads. */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
    feed.closeAll(new RemoteUnavailableException("the server is shutting down"));
    feedThreads.shutdown();
  }
}
