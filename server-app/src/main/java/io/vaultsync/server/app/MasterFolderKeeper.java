package io.vaultsync.server.app;

import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.concurrent.Daemons;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterWatcher;
import io.vaultsync.server.vault.FolderOwnership;
import io.vaultsync.server.vault.Reconciler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the master folders of a server of several processes in one process at a time: the one
 * holding the lease {@value #LEASE}. Every {@link #RENEW} it takes or renews the lease; when it
 * gains it, it adopts new folders, reconciles every vault (catching the folders up from the ledger:
 * their mirrored seq is in the shared database) and starts the watcher; when it loses it (another
 * process took it after this one stalled longer than {@link #TTL}), it stops watching and writing.
 * While it owns the folders, a commit heard from another process is written into the folder ({@link
 * Reconciler#catchUp}); its own commits go through the mirror as on the embedded server. A process
 * that dies leaves the lease to run out; another takes it within {@link #TTL} plus {@link #RENEW}.
 */
final class MasterFolderKeeper implements FolderOwnership, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterFolderKeeper.class);

  /** The lease of the master folders. */
  static final String LEASE = "master-folders";

  /** How long the lease lasts without a renewal. */
  static final Duration TTL = Duration.ofSeconds(15);

  /** How often the holder renews it (and others try to take it). */
  static final Duration RENEW = Duration.ofSeconds(5);

  private final Path root;
  private final Leases leases;
  private final Duration ttl;
  private final Duration renew;
  private final Supplier<Reconciler> reconciler;
  private final Supplier<MasterWatcher> watchers;
  private final ScheduledExecutorService timer = Daemons.timer("vaultsync-master-folders");
  private final Set<VaultName> due = ConcurrentHashMap.newKeySet();
  private volatile boolean owned;

  /** The watcher while this process owns the folders; used on the timer's thread only. */
  private MasterWatcher watcher;

  /**
   * @param root the folder holding the master folders
   * @param reconciler the server's reconciler (asked for once the server is open)
   * @param watchers makes a watcher of {@code root} that reconciles what changes on disk
   */
  MasterFolderKeeper(
      Path root, Leases leases, Supplier<Reconciler> reconciler, Supplier<MasterWatcher> watchers) {
    this(root, leases, reconciler, watchers, TTL, RENEW);
  }

  /**
   * As above, with the lease's {@code ttl} and how often to {@code renew} it (tests shorten them).
   */
  MasterFolderKeeper(
      Path root,
      Leases leases,
      Supplier<Reconciler> reconciler,
      Supplier<MasterWatcher> watchers,
      Duration ttl,
      Duration renew) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.renew = Objects.requireNonNull(renew, "renew");
    this.root = Objects.requireNonNull(root, "root");
    this.leases = Objects.requireNonNull(leases, "leases");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.watchers = Objects.requireNonNull(watchers, "watchers");
  }

  @Override
  public boolean ownsMasterFolders() {
    return owned;
  }

  /**
   * Starts taking the lease, at once and then every {@link #RENEW}; hears commits on {@code
   * signals}.
   */
  void start(ChangeSignals signals) {
    signals.listen(
        (vault, seq) -> {
          if (owned && due.add(vault)) {
            timer.execute(this::catchUp);
          }
        });
    timer.scheduleWithFixedDelay(this::tick, 0, renew.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    boolean held;
    try {
      held = leases.hold(LEASE, ttl);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot renew the master-folder lease: {}", e.toString());
      held = false;
    }
    if (held && !owned) {
      take();
    } else if (!held && owned) {
      letGo();
    }
  }

  private void take() {
    owned = true; // from now on this process's commits are mirrored; the rest is caught up below
    log.info("this process now keeps the master folders in {}", root);
    try {
      reconciler.get().adoptFolders(root);
      reconciler.get().reconcileAll();
      watcher = watchers.get();
      watcher.start();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "master folders in {}: catching up failed ({}); retried at the next renewal", root, e);
      owned = false;
      closeWatcher();
    }
  }

  private void letGo() {
    owned = false;
    log.warn("another process took the master folders in {}; no longer writing them", root);
    closeWatcher();
  }

  private void catchUp() {
    for (VaultName vault : Set.copyOf(due)) {
      due.remove(vault);
      if (!owned) {
        return;
      }
      try {
        reconciler.get().catchUp(vault);
      } catch (IOException | RuntimeException e) {
        log.warn("master folder of vault {}: catching up failed: {}", vault, e.toString());
      }
    }
  }

  private void closeWatcher() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException | RuntimeException e) {
        log.warn("closing the master-folder watcher: {}", e.toString());
      }
      watcher = null;
    }
  }

  @Override
  public void close() {
    Daemons.stop(timer, Duration.ofSeconds(30));
    closeWatcher();
    if (owned) {
      owned = false;
      try {
        leases.release(LEASE);
      } catch (IOException | RuntimeException e) {
        log.warn("releasing the master-folder lease: {}", e.toString());
      }
    }
  }
}
