package io.vaultsync.server.vault;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterFolder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each vault's master folder a replica of head that remembers what it still owes.
 *
 * <p>The invariant, per vault: every change at or below the vault's mirrored seq is either in the
 * master folder as the server wrote it, or its path (both paths of a move) is pending in the ledger
 * ({@link LedgerStore#mirrorPending}). A pass of writes records both in one transaction ({@link
 * LedgerStore#recordMirrored}), so the mirrored seq never passes a change that is neither; changes
 * above it are in flight, and a start or a reconcile rewrites their paths from head. The reconciler
 * leaves pending paths out of its comparison: a file the server failed to write (a full disk, a
 * link in the way) is never read as an edit made on the server's disk.
 *
 * <p>Three kinds of pass:
 *
 * <ul>
 *   <li>the worker thread applies each recorded batch after the acknowledgement, in order, under
 *       the vault's lock, giving the lock up between two files whenever a commit waits for it (the
 *       folder may lag; in a first upload of 10,000 notes the mirror writes were 80% of the
 *       server's time). A batch that finds the mirrored seq short of its first change (an earlier
 *       batch was cut short by an error) catches up from the ledger first;
 *   <li>{@link #catchUp} (the reconciler, holding the lock): every pending path and every path
 *       changed after the mirrored seq is rewritten from head, and the mirrored seq set to head;
 *   <li>a retry on the worker thread rewrites the pending paths, {@link #FIRST_RETRY} after a
 *       failure, then twice as long each time up to {@link #MAX_RETRY}, while any are pending.
 * </ul>
 *
 * A path leaves the pending list once the folder holds it as head has it, or once a delete finds an
 * edit made on the server's disk there (kept, for the reconciler to record). Each failing path is
 * logged once at ERROR with its reason, with a summary line per vault ({@link MirrorReport}).
 * Thread-safe.
 *
 * <p>Over 400 lines on purpose: the three passes share one invariant and the per-vault retry state,
 * and each must record what it wrote and what failed in the same transaction; split apart, that
 * state would be shared between classes (issue 13 split the rest of the old god object).
 */
final class MasterMirror implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterMirror.class);

  /** The first retry after a failed write. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);

  /** The longest wait between two retries. */
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /** Longest failure reason kept in the ledger. */
  private static final int MAX_REASON = 300;

  private final LedgerStore ledger;
  private final VaultLocks locks;
  private final Function<VaultName, MasterFolder> folders;
  private final Clock clock;
  private final MirrorReport report = new MirrorReport();
  private final ScheduledThreadPoolExecutor worker;

  /** Called after each change a batch pass applied, holding the vault's lock (tests). */
  private volatile Consumer<Change> hook = c -> {};

  private volatile Duration firstRetry = FIRST_RETRY;
  private volatile Duration maxRetry = MAX_RETRY;

  /** Per vault: retries since the folder last owed nothing. */
  private final Map<VaultName, Integer> attempts = new ConcurrentHashMap<>();

  /** Vaults with a retry scheduled. */
  private final Set<VaultName> scheduled = ConcurrentHashMap.newKeySet();

  MasterMirror(
      LedgerStore ledger,
      VaultLocks locks,
      Function<VaultName, MasterFolder> folders,
      Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.folders = Objects.requireNonNull(folders, "folders");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.worker =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "vaultsync-mirror");
              t.setDaemon(true);
              return t;
            });
    worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    worker.setRemoveOnCancelPolicy(true);
  }

  void setHook(Consumer<Change> hook) {
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /** Sets the retry delays (tests shorten them). */
  void setRetry(Duration first, Duration max) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("retry delays " + first + " and " + max);
    }
    this.firstRetry = first;
    this.maxRetry = max;
  }

  /** Queues the changes the ledger just recorded (the caller holds the vault's lock). */
  void later(VaultName vault, List<Change> recorded) {
    try {
      worker.execute(() -> mirrorInTurns(vault, recorded));
    } catch (RejectedExecutionException e) {
      log.info("closing: vault {} is mirrored at the next start", vault);
    }
  }

  /** Blocks until every batch queued so far was applied (retries not yet due are not awaited). */
  void await() throws IOException {
    try {
      worker.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the master folder");
    } catch (ExecutionException e) {
      throw new IOException("mirror worker failed", e.getCause());
    } catch (RejectedExecutionException e) {
      // closed: nothing more will be written
    }
  }

  /** Finishes the queued batches (retries not yet due are dropped: the next start retries). */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(60, TimeUnit.SECONDS)) {
        log.warn("master folder writes still pending at close; the next start catches up");
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Rewrites from head every pending path, every path changed after the mirrored seq and every path
   * of {@code also} (and, with {@code everything}, every path of head: an emptied folder), then
   * records the pass and sets the mirrored seq to head. The caller holds the vault's lock.
   *
   * @param head the vault's head, read under the lock
   * @param also paths to write besides (the reconciler's files lost with their content)
   * @return the paths still pending: the folder does not hold them as head has them
   */
  Set<NotePath> catchUp(
      VaultName vault,
      MasterFolder folder,
      RemoteManifest head,
      boolean everything,
      Set<NotePath> also)
      throws IOException {
    long mirrored = ledger.mirroredSeq(vault);
    Set<NotePath> owedBefore = ledger.mirrorPending(vault).keySet();
    Set<NotePath> paths = new TreeSet<>(owedBefore);
    paths.addAll(also);
    if (mirrored < head.headSeq()) {
      paths.addAll(ledger.pathsChangedAfter(vault, mirrored));
    }
    if (everything) {
      head.entries().forEach(e -> paths.add(e.path()));
    }
    if (paths.isEmpty() && mirrored == head.headSeq()) {
      return Set.of();
    }
    Map<NotePath, RemoteEntry> byPath = new HashMap<>();
    head.entries().forEach(e -> byPath.put(e.path(), e));
    Pass pass = new Pass();
    for (NotePath p : paths) {
      writeHead(folder, p, Optional.ofNullable(byPath.get(p)), pass);
    }
    ledger.recordMirrored(vault, head.headSeq(), pass.failed, pass.written, clock.instant());
    if (!report.owes(vault)) {
      long written = owedBefore.stream().filter(pass.written::contains).count();
      if (written > 0) {
        log.info("vault {}: wrote {} files the master folder owed from before", vault, written);
      }
    }
    afterPass(vault, pass, false);
    return Set.copyOf(pass.failed.keySet());
  }

  // ---- the worker's passes ----

  private void mirrorInTurns(VaultName vault, List<Change> recorded) {
    VaultLock lock = locks.lock(vault);
    MasterFolder folder = folders.apply(vault);
    int next = 0;
    long through = 0; // the last change this batch applied, recorded or not
    while (next < recorded.size()) {
      lock.lock();
      try {
        long done = ledger.mirroredSeq(vault);
        while (next < recorded.size() && recorded.get(next).seq() <= done) {
          next++; // a reconcile in between wrote it
        }
        if (next == recorded.size()) {
          return;
        }
        long reached = Math.max(done, through);
        if (recorded.get(next).seq() > reached + 1) {
          log.warn(
              "vault {}: the master folder missed changes {} to {} (an earlier pass was cut short);"
                  + " rewriting their paths from head",
              vault,
              reached + 1,
              recorded.get(next).seq() - 1);
          catchUp(vault, folder, ledger.manifest(vault), false, Set.of());
          continue;
        }
        Pass pass = new Pass();
        do {
          Change c = recorded.get(next++);
          apply(folder, c, pass);
          through = c.seq();
          hook.accept(c);
        } while (next < recorded.size() && !lock.hasQueuedThreads());
        // A turn cut short for a waiting commit records only what must not wait (a failure, or
        // paths that may be pending): a transaction per turn would be an fsync per file while
        // commits keep queueing. Its writes are in the folder; the batch's last turn covers them.
        if (next == recorded.size() || !pass.failed.isEmpty() || report.owes(vault)) {
          ledger.recordMirrored(vault, through, pass.failed, pass.written, clock.instant());
          afterPass(vault, pass, false);
        }
      } catch (IOException | RuntimeException e) {
        log.error(
            "could not mirror vault {}: {}; the next batch, reconcile or start catches up",
            vault,
            e.toString());
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Rewrites the vault's pending paths from head, in turns as {@link #mirrorInTurns} does. */
  private void retryPending(VaultName vault) {
    VaultLock lock = locks.lock(vault);
    MasterFolder folder = folders.apply(vault);
    try {
      List<NotePath> paths;
      lock.lock();
      try {
        paths = new ArrayList<>(ledger.mirrorPending(vault).keySet());
      } finally {
        lock.unlock();
      }
      log.debug("vault {}: retrying {} master-folder writes", vault, paths.size());
      Pass all = new Pass();
      int next = 0;
      while (next < paths.size()) {
        lock.lock();
        try {
          Set<NotePath> pending = ledger.mirrorPending(vault).keySet(); // a reconcile may have
          Pass pass = new Pass(); //                                       finished some meanwhile
          do {
            NotePath p = paths.get(next++);
            if (pending.contains(p)) {
              writeHead(folder, p, ledger.head(vault, p), pass);
            }
          } while (next < paths.size() && !lock.hasQueuedThreads());
          ledger.recordMirrored(
              vault, ledger.mirroredSeq(vault), pass.failed, pass.written, clock.instant());
          all.failed.putAll(pass.failed);
        } finally {
          lock.unlock();
        }
      }
      afterPass(vault, all, true);
    } catch (IOException | RuntimeException e) {
      log.error(
          "could not retry the master-folder writes of vault {}: {}; the next reconcile or start"
              + " retries",
          vault,
          e.toString());
    }
  }

  /** Applies one recorded change to the folder, noting its paths as written or failed. */
  private static void apply(MasterFolder folder, Change c, Pass pass) {
    try {
      switch (c.op()) {
        case PUT -> folder.write(c.path(), c.hash());
        case DELETE -> folder.delete(c.path());
        case MOVE -> folder.move(c.previousPath(), c.path(), c.hash());
      }
      pass.written(c.path());
      if (c.previousPath() != null) {
        pass.written(c.previousPath());
      }
    } catch (IOException | RuntimeException e) {
      String reason = reason(e);
      pass.failed(c.path(), reason);
      if (c.previousPath() != null) {
        pass.failed(c.previousPath(), reason);
      }
    }
  }

  /** Makes the folder hold {@code path} as head has it ({@code entry}; empty: absent). */
  private static void writeHead(
      MasterFolder folder, NotePath path, Optional<RemoteEntry> entry, Pass pass) {
    try {
      if (entry.isPresent()) {
        folder.write(path, entry.get().hash());
      } else {
        folder.delete(path); // false: an edit on the server's disk is kept there, to be recorded
      }
      pass.written(path);
    } catch (IOException | RuntimeException e) {
      pass.failed(path, reason(e));
    }
  }

  /** Reports the pass's effect on what the vault owes and schedules a retry while it owes any. */
  private void afterPass(VaultName vault, Pass pass, boolean retry) throws IOException {
    if (pass.failed.isEmpty() && !report.owes(vault)) {
      attempts.remove(vault); // owes nothing: the next failure is retried after the first delay
      return;
    }
    Map<NotePath, String> pending = ledger.mirrorPending(vault);
    if (pending.isEmpty()) {
      attempts.remove(vault);
      report.update(vault, pending, null, retry);
    } else {
      report.update(vault, pending, scheduleRetry(vault), retry);
    }
  }

  /** Schedules a retry of the vault's pending paths; returns when, or null if one is scheduled. */
  private Duration scheduleRetry(VaultName vault) {
    if (!scheduled.add(vault)) {
      return null;
    }
    int attempt = attempts.merge(vault, 1, Integer::sum) - 1;
    Duration delay = firstRetry;
    for (int i = 0; i < attempt && delay.compareTo(maxRetry) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(maxRetry) > 0) {
      delay = maxRetry;
    }
    try {
      worker.schedule(
          () -> {
            scheduled.remove(vault);
            retryPending(vault);
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
      return delay;
    } catch (RejectedExecutionException e) {
      scheduled.remove(vault); // closing: the next start retries
      return null;
    }
  }

  /** How {@link #reason} begins when the store lacks the content (lost, or found damaged). */
  static final String STORE_LACKS = "the server's store lacks its content";

  /** Why a write failed, in a few words: "No space left on device". */
  static String reason(Throwable e) {
    String r;
    if (e instanceof io.vaultsync.server.store.MissingContentException m) {
      r = STORE_LACKS + " " + m.hash().hex();
    } else if (e instanceof io.vaultsync.server.store.DamagedContentException d) {
      r = STORE_LACKS + " " + d.hash().hex() + " (found damaged)";
    } else if (e instanceof FileSystemException f) {
      r = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
    } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
      r = e.getMessage();
    } else {
      r = e.getClass().getSimpleName();
    }
    return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "..." : r;
  }

  /** What one pass did per path; the last outcome of a path wins. Not thread-safe. */
  private static final class Pass {
    final Map<NotePath, String> failed = new LinkedHashMap<>();
    final Set<NotePath> written = new LinkedHashSet<>();

    void written(NotePath p) {
      failed.remove(p);
      written.add(p);
    }

    void failed(NotePath p, String reason) {
      written.remove(p);
      failed.put(p, reason);
    }
  }
}
