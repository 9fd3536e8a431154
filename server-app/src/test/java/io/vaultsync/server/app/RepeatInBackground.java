package io.vaultsync.server.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store operation (a GC, a repack) run over and over on another thread while a test writes, until
 * the test stops it and at least twice: what a server's maintenance does while devices commit.
 */
final class RepeatInBackground {
  /** One run of the operation. */
  interface Operation {
    void run() throws Exception;
  }

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CompletableFuture<Integer> runs;

  private RepeatInBackground(Operation operation) {
    this.runs =
        CompletableFuture.supplyAsync(
            () -> {
              int n = 0;
              try {
                while (running.get() || n < 2) {
                  operation.run();
                  n++;
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return n;
            });
  }

  /** Starts repeating {@code operation}. */
  static RepeatInBackground start(Operation operation) {
    return new RepeatInBackground(operation);
  }

  /**
   * Lets the current run finish (and a second one, if it is the first); returns how many ran.
   * Rethrows what an operation threw.
   */
  int stop() throws InterruptedException, ExecutionException {
    running.set(false);
    return runs.get();
  }
}
