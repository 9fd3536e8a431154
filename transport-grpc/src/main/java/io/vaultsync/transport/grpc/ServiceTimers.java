package io.vaultsync.transport.grpc;

import java.lang.ref.WeakReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of every service in the process: WaitChanges timeouts and the idle sweep of
 * upload staging. Its tasks only hand work to a service's executor or drop files; none blocks. A
 * daemon thread, so it never keeps a JVM alive.
 */
final class ServiceTimers {
  /** How often idle uploads are looked for. */
  private static final long SWEEP_SECONDS = 60;

  static final ScheduledExecutorService TIMERS = create();

  private ServiceTimers() {}

  private static ScheduledExecutorService create() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "vaultsync-service-timer");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true); // a cancelled long poll leaves nothing queued
    return Executors.unconfigurableScheduledExecutorService(t);
  }

  /**
   * Sweeps {@code staging}'s idle uploads every minute for as long as the staging is in use (the
   * task holds it weakly and ends once it is gone).
   */
  static void sweepPeriodically(UploadStaging staging) {
    WeakReference<UploadStaging> ref = new WeakReference<>(staging);
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    synchronized (self) {
      self[0] =
          TIMERS.scheduleWithFixedDelay(
              () -> {
                UploadStaging s = ref.get();
                if (s != null) {
                  s.sweepNow();
                } else {
                  synchronized (self) {
                    self[0].cancel(false);
                  }
                }
              },
              SWEEP_SECONDS,
              SWEEP_SECONDS,
              TimeUnit.SECONDS);
    }
  }
}
