package io.vaultsync.server.mirror;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.server.concurrent.Daemons;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the vaults root ({@code DIR/vaults}) recursively and, after a quiet period, asks for a
 * reconcile of each vault folder that saw events. Events only say "look again": what changed is
 * decided by the reconcile's scan and hash comparison, so lost, duplicated or reordered events, and
 * the server's own writes, cannot cause a wrong record. An overflow asks for every vault.
 *
 * <p>Reconciles run on one background thread, so they never overlap.
 */
public final class MasterWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterWatcher.class);

  /** What to do when a vault folder needs a look. */
  public interface Target {
    /** Reconcile the vault whose folder under the root is named {@code folderName}. */
    void reconcile(String folderName) throws IOException;

    /** Reconcile every vault (after an overflow). */
    void reconcileAll() throws IOException;
  }

  private static final String ALL = "";

  private final Path root;
  private final Target target;
  private final Duration quiet;
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ScheduledExecutorService worker = Daemons.timer("vaultsync-reconcile");
  private final java.util.concurrent.ExecutorService watchLoop =
      Executors.newSingleThreadExecutor(Daemons.named("vaultsync-watch"));
  private DirectoryWatcher watcher;
  private final OwnWrites own;
  private volatile long lastEventNanos;
  private volatile long firstEventNanos;

  public MasterWatcher(Path root, Target target, Duration quiet) {
    this(root, target, quiet, new OwnWrites());
  }

  /**
   * A watcher that ignores events for paths that are exactly as the server itself left them ({@code
   * own}) and for the server's temporary files.
   */
  public MasterWatcher(Path root, Target target, Duration quiet, OwnWrites own) {
    this.own = Objects.requireNonNull(own, "own");
    this.root = root.toAbsolutePath();
    this.target = Objects.requireNonNull(target, "target");
    this.quiet = Objects.requireNonNull(quiet, "quiet");
  }

  /** Starts watching; returns once the watch is registered. */
  public synchronized void start() throws IOException {
    watcher =
        DirectoryWatcher.builder()
            .path(root)
            .fileHashing(false)
            .logger(LoggerFactory.getLogger(DirectoryWatcher.class))
            .listener(this::onEvent)
            .build();
    watcher.watchAsync(watchLoop);
  }

  private void onEvent(DirectoryChangeEvent event) {
    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
      dirty.add(ALL);
    } else {
      Path p = event.path();
      if (p == null || !p.toAbsolutePath().startsWith(root) || p.toAbsolutePath().equals(root)) {
        return;
      }
      Path name = p.getFileName();
      if (name != null && name.toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
        return; // a temporary file: never a note; leftovers are removed by the reconcile
      }
      if (own.isOwn(p)) {
        return; // exactly as the server left it: its own write, nothing to record
      }
      dirty.add(root.relativize(p.toAbsolutePath()).getName(0).toString());
    }
    lastEventNanos = System.nanoTime();
    if (scheduled.compareAndSet(false, true)) {
      firstEventNanos = lastEventNanos;
      worker.schedule(this::drain, quiet.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Runs once the folder was quiet for the quiet period (events push it back), but no later than
   * ten quiet periods after the first event, so a program that never stops writing is still seen.
   */
  private void drain() {
    long now = System.nanoTime();
    long sinceLast = now - lastEventNanos;
    if (sinceLast < quiet.toNanos() && now - firstEventNanos < 10 * quiet.toNanos()) {
      worker.schedule(this::drain, quiet.toNanos() - sinceLast, TimeUnit.NANOSECONDS);
      return;
    }
    scheduled.set(false);
    for (String name : Set.copyOf(dirty)) {
      dirty.remove(name);
      try {
        if (name.equals(ALL)) {
          target.reconcileAll();
        } else {
          target.reconcile(name);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("reconcile of {} failed: {}", name.isEmpty() ? "all vaults" : name, e.toString());
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
    worker.shutdownNow();
    watchLoop.shutdownNow();
  }
}
