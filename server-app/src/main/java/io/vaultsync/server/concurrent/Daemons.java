package io.vaultsync.server.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The server's background threads: named (a thread dump says whose they are) and daemons (they
 * never keep the JVM alive), and their one way of stopping: let work in progress finish for a
 * while, then interrupt it.
 */
public final class Daemons {
  private Daemons() {}

  /** Makes daemon threads called {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** A single daemon thread called {@code name} that runs scheduled work. */
  public static ScheduledExecutorService timer(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  /**
   * Stops {@code executor}: no new work, the work in progress gets up to {@code grace} to finish,
   * then it is interrupted. Keeps the caller's interrupt.
   */
  public static void stop(ExecutorService executor, Duration grace) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
