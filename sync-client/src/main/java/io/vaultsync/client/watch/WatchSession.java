package io.vaultsync.client.watch;

import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.LocalScope;
import io.vaultsync.client.sync.StreamedChanges;
import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.sync.Syncer;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code vaultsync watch}: keeps a vault folder in sync continuously over one connection.
 *
 * <p>The loop runs on the caller's thread: connect, sync once (the catch-up: whatever changed on
 * either side while nobody watched), subscribe to the server's change feed from the index's last
 * seq, then wait. A local save (file events, debounced) or a remote change (the feed) triggers the
 * same two-way {@link Syncer} cycle a one-shot {@code sync} runs, limited to the paths the events
 * name plus the server's changes ({@link LocalScope}) and with the index kept in memory, so every
 * guarantee of that (atomic writes, merges and conflict copies, stale checks, the index's last seq
 * advanced only over changes applied) holds here too. Events that are only the echo of the client's
 * own writes are dropped by {@link EchoFilter}, and feed deliveries at or below the applied seq
 * (the client's own commits) trigger nothing.
 *
 * <p>When the server cannot be reached the loop closes the connection and tries again after a
 * {@link Backoff} with jitter; local events keep accumulating meanwhile and the first cycle after
 * reconnecting sends them (it scans the whole folder, as does a cycle after an event overflow and
 * one every {@link WatchOptions#fullScanEvery()}, the safety net for edits a watcher misses). The
 * feed resumes from the last applied seq, so nothing is skipped or applied twice. {@link #stop()}
 * lets a running cycle finish, then ends the loop.
 *
 * <p>A guard never ends the watch. Deletes the mass-delete guard refuses (the client's, or the
 * server's for a commit) are held back while the rest of the cycle runs; the session reports the
 * held-back list when it changes, looks at those paths again in every cycle (so they stay held back
 * and named, and a file put back or a confirmation made meanwhile with {@code vaultsync sync DIR
 * --allow-mass-delete} is seen), and goes on. A held-back delete of a change from the feed keeps
 * the index's last seq before that change (nothing is lost); the loop then waits for feed seqs
 * beyond those a cycle has already looked at, not beyond the index's last seq, so a held-back
 * change does not make it spin.
 */
public final class WatchSession {
  /** What the session tells its user. */
  public interface Reporter {
    /** A cycle that changed something. */
    void synced(SyncReport report);

    /**
     * The files left out changed since the last report (first cycle: any left out): {@code files}
     * is the whole list now, empty when everything is synced again. Called after {@link #synced}
     * for the same cycle, and only when the list differs, so a file that stays out (a link, a bad
     * name) is named once, not every cycle.
     */
    void notSynced(List<io.vaultsync.client.sync.NotSynced> files);

    /** Connected (or reconnected) and subscribed at {@code seq}. */
    void connected(long seq);

    /**
     * A problem the session will retry after {@code retryMillis} (or on the next change, if -1).
     */
    void problem(String message, long retryMillis);
  }

  private final Path folder;
  private final RemoteConnector connector;
  private final Clock clock;
  private final WatchOptions options;
  private final Reporter reporter;
  private final WatchSignals signals = new WatchSignals();
  private final StreamedChanges streamed = new StreamedChanges();
  private final Backoff backoff;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile long appliedSeq;
  private volatile long cycles;
  private volatile long fullScans;
  private static final NotePath IGNORE_FILE = NotePath.of(IgnoreRules.FILE_NAME);

  private VaultTransport transport;
  private Syncer syncer;
  private Subscription subscription;
  private long lastFullScanNanos;
  private List<io.vaultsync.client.sync.NotSynced> reportedNotSynced = List.of();

  /** The highest feed seq a finished cycle has looked at (at or above the applied seq). */
  private long handledSeq;

  /**
   * Paths the last cycle left out to retry or held back: every scoped cycle looks at them again (no
   * event may name them again, and the list would otherwise look cleared).
   */
  private Set<NotePath> leftOut = Set.of();

  public WatchSession(
      Path folder,
      RemoteConnector connector,
      Clock clock,
      WatchOptions options,
      Reporter reporter,
      long seed) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.backoff = new Backoff(options.backoffMin(), options.backoffMax(), seed);
  }

  /**
   * Runs until {@link #stop()}. Returns normally after a stop; throws for what retrying cannot fix:
   * the folder is not a vault replica, the token is refused, the vault is gone. Deletes a guard
   * refuses are held back and reported, never a reason to stop.
   */
  public void run() throws IOException {
    StateFolder state = StateFolder.of(folder);
    VaultConfig config = state.config();
    String token = state.token();
    Path root = folder.toRealPath();
    appliedSeq = state.readIndex().lastSeq();
    try (FolderEvents events = new FolderEvents(root, sink())) {
      loop(state, config, token, root);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("watch interrupted");
    } finally {
      disconnect();
      ended.countDown();
    }
  }

  private void loop(StateFolder state, VaultConfig config, String token, Path root)
      throws IOException, InterruptedException {
    while (!signals.stopping()) {
      if (subscription == null) {
        if (!connect(state, config, token)) {
          continue;
        }
      }
      long scanDue = lastFullScanNanos + options.fullScanEvery().toNanos();
      WatchSignals.Batch batch =
          signals.await(
              Math.max(appliedSeq, handledSeq), options.debounce(), options.maxDelay(), scanDue);
      if (batch.stop()) {
        return;
      }
      if (batch.lost() != null) {
        reporter.problem("change feed ended: " + batch.lost().getMessage(), 0);
        disconnect();
        continue;
      }
      Set<NotePath> rehash = Set.of();
      LocalScope scope = LocalScope.ALL;
      List<RoundRequest> asked = signals.takeAsked(); // a handed-off sync: a whole round, now
      SyncOptions roundOptions = asked.isEmpty() ? SyncOptions.DEFAULTS : asked.get(0).options();
      boolean full = !asked.isEmpty() || batch.overflow() || System.nanoTime() - scanDue >= 0;
      if (!full) {
        IgnoreRules rules = IgnoreRules.load(root);
        EchoFilter.Result local =
            EchoFilter.filter(root, syncer.index(state), rules, batch.local(), namedPaths());
        java.time.Duration settle =
            UnsettledEdits.settle(root, syncer.index(state), local.edited(), options);
        if (settle.toNanos() > 0) {
          // A synced file is gone (renamed: the new name's events may still be on their way) or
          // empty (truncated by an in-place save whose write is next): wait for more events.
          Set<Path> more = signals.moreLocal(settle);
          if (!more.isEmpty()) {
            Set<Path> all = new java.util.LinkedHashSet<>(batch.local());
            all.addAll(more);
            batch =
                new WatchSignals.Batch(
                    all, batch.overflow(), batch.remote(), null, false, batch.scanDue());
            local = EchoFilter.filter(root, syncer.index(state), rules, all, namedPaths());
          }
        }
        if (!batch.remote() && !local.any()) {
          continue; // only echoes of our own writes
        }
        rehash = local.edited();
        Set<NotePath> named = new TreeSet<>(local.edited());
        named.addAll(local.folders());
        full = local.needsScan() || named.contains(IGNORE_FILE);
        named.addAll(leftOut);
        scope = full ? LocalScope.ALL : LocalScope.of(named);
      }
      try {
        SyncReport report = cycle(state, rehash, scope, roundOptions);
        asked.forEach(r -> r.result().complete(report));
      } catch (AuthenticationException | NotFoundException e) {
        asked.forEach(r -> r.result().completeExceptionally(e));
        throw e;
      } catch (IOException e) {
        signals.acceptRounds(false); // until reconnected: a sync asked meanwhile runs by itself
        asked.forEach(r -> r.result().completeExceptionally(e));
        signals.requeue(batch);
        retryLater(e);
      } catch (RuntimeException e) {
        if (asked.isEmpty()) {
          throw e;
        }
        // a bug in a round another process asked for: that process reports it; the watch goes on
        signals.acceptRounds(false);
        asked.forEach(r -> r.result().completeExceptionally(e));
        signals.requeue(batch);
        retryLater(new IOException("sync round failed: " + e, e));
      }
    }
  }

  /**
   * Asks the loop for one whole two-way sync with {@code options} (a {@code vaultsync sync} handed
   * to this watch), run once the round in progress, if any, is done; rounds never overlap, and one
   * round answers every request with the same options waiting for it. Empty when the watch is not
   * connected to its server now (the caller syncs by itself); the future is cancelled when the
   * watch drops the request before its round started, and completes exceptionally with what failed
   * the round. Thread-safe.
   */
  public java.util.Optional<java.util.concurrent.CompletableFuture<SyncReport>> syncNow(
      SyncOptions options) {
    RoundRequest request =
        new RoundRequest(options, new java.util.concurrent.CompletableFuture<>());
    return signals.ask(request)
        ? java.util.Optional.of(request.result())
        : java.util.Optional.empty();
  }

  /** Connects, catches up, subscribes; false (after a backoff wait) when the server is away. */
  private boolean connect(StateFolder state, VaultConfig config, String token)
      throws IOException, InterruptedException {
    try {
      if (transport == null) {
        transport = connector.connect(config.server(), token);
        syncer = new Syncer(transport, clock).keepingIndex().streaming(streamed);
      }
      cycle(state, Set.of(), LocalScope.ALL, SyncOptions.DEFAULTS);
      streamed.restart(appliedSeq);
      subscription = transport.subscribe(config.vault(), appliedSeq, feedListener());
      backoff.reset();
      signals.acceptRounds(true);
      reporter.connected(appliedSeq);
      return true;
    } catch (AuthenticationException | NotFoundException e) {
      throw e;
    } catch (IOException e) {
      retryLater(e);
      return false;
    }
  }

  private void retryLater(IOException e) throws InterruptedException {
    disconnect();
    long wait = backoff.next().toMillis();
    String what;
    if (e instanceof io.vaultsync.protocol.ConnectionLostException
        || e instanceof io.vaultsync.protocol.RemoteStalledException) {
      what = e.getMessage(); // "connection lost while ...", "the server stopped answering ..."
    } else if (e instanceof io.vaultsync.protocol.RemoteUnavailableException) {
      what = "server unreachable (" + e.getMessage() + ")";
    } else {
      what = e.getMessage();
    }
    reporter.problem(what, wait);
    signals.sleep(java.time.Duration.ofMillis(wait));
  }

  /**
   * One two-way sync: of the whole folder ({@link LocalScope#ALL}: on connecting, after an
   * overflow, when the periodic full scan is due) or of the paths events named plus the server's
   * changes, with the index kept in memory between cycles.
   */
  private SyncReport cycle(
      StateFolder state, Set<NotePath> rehash, LocalScope scope, SyncOptions options)
      throws IOException {
    long begun = System.nanoTime();
    long seen = signals.remoteSeq(); // the cycle's changesSince reaches at least this far
    SyncReport report = syncer.sync(folder, options, rehash, scope);
    handledSeq = Math.max(handledSeq, seen);
    if (scope.full()) {
      lastFullScanNanos = begun;
      fullScans++;
    }
    appliedSeq = report.seq();
    cycles++;
    if (report.filesUp() + report.filesDown() + report.moved() + report.deleted() + report.merged()
            > 0
        || report.hasConflicts()) {
      reporter.synced(report);
    }
    if (!report.notSynced().equals(reportedNotSynced)) {
      reportedNotSynced = report.notSynced();
      reporter.notSynced(reportedNotSynced);
      leftOut = leftOutPaths(reportedNotSynced);
    }
    return report;
  }

  /** The note paths of the files in {@code files} held back or left for a retry. */
  private static Set<NotePath> leftOutPaths(List<io.vaultsync.client.sync.NotSynced> files) {
    Set<NotePath> paths = new TreeSet<>();
    for (var n : files) {
      if (n.kind() == io.vaultsync.client.sync.NotSynced.Kind.HELD_BACK
          || n.kind() == io.vaultsync.client.sync.NotSynced.Kind.RETRY) {
        try {
          paths.add(NotePath.of(n.path()));
        } catch (IllegalArgumentException notANotePath) {
          // named by the scan, which reports it again: not a path a scope can name
        }
      }
    }
    return Set.copyOf(paths);
  }

  /** The note paths of the files named as not synced now (a name on disk maps to its NFC path). */
  private Set<NotePath> namedPaths() {
    Set<NotePath> out = new TreeSet<>();
    for (var n : reportedNotSynced) {
      try {
        out.add(NotePath.of(n.path()));
      } catch (IllegalArgumentException e) {
        // not a note path: its events ask for a full scan anyway
      }
    }
    return out;
  }

  private ChangeListener feedListener() {
    return new ChangeListener() {
      @Override
      public void onChanges(List<Change> changes, long headSeq) {
        streamed.add(changes, headSeq); // before the signal: the cycle it wakes finds them
        signals.remote(changes.get(changes.size() - 1).seq());
      }

      @Override
      public void onClosed(IOException cause) {
        signals.lost(cause);
      }
    };
  }

  private FolderEvents.Sink sink() {
    return new FolderEvents.Sink() {
      @Override
      public void changed(Path relative) {
        signals.local(relative);
      }

      @Override
      public void overflow() {
        signals.overflow();
      }
    };
  }

  private void disconnect() {
    signals.acceptRounds(false); // rounds asked meanwhile: their askers sync by themselves
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    syncer = null;
    if (transport != null) {
      try {
        transport.close();
      } catch (IOException | RuntimeException e) {
        // the connection is being dropped anyway
      }
      transport = null;
    }
  }

  /** Asks the loop to end after the cycle in progress, if any. Thread-safe. */
  public void stop() {
    signals.stop();
  }

  /** Stops and waits up to {@code timeoutMillis} for the loop to end; true if it did. */
  public boolean stopAndWait(long timeoutMillis) throws InterruptedException {
    stop();
    return ended.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The seq of the last change applied (the index's last seq after the latest cycle). */
  public long appliedSeq() {
    return appliedSeq;
  }

  /** Sync cycles that scanned the whole folder so far. */
  public long fullScans() {
    return fullScans;
  }

  /** Sync cycles run so far. */
  public long cycles() {
    return cycles;
  }
}
