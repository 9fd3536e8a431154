package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.RemoteStalledException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Retries what a {@link RetryPolicy} allows: calls that failed on the connection after the server
 * had been reached ({@link ConnectionLostException}, {@link RemoteStalledException}), up to the
 * policy's attempts per call and within its budget for the whole transport. A stalled call is
 * retried once at most: a server that hangs twice in a row will likely hang again, and each stall
 * costs the whole stall timeout. Waits grow exponentially with jitter; before each retry {@code
 * beforeRetry} runs with the failure (the transport resets the channel's reconnect backoff, so a
 * server that came back is dialled at once instead of after gRPC's own, longer backoff, and after a
 * stall drops the connection so that the retry dials a new one). Thread-safe: calls running at once
 * share the budget.
 */
final class CallRetrier {
  private final RetryPolicy policy;
  private final Consumer<IOException> beforeRetry;
  private final AtomicLong spentNanos = new AtomicLong();

  CallRetrier(RetryPolicy policy, Consumer<IOException> beforeRetry) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.beforeRetry = Objects.requireNonNull(beforeRetry, "beforeRetry");
  }

  /** One try of a call. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws IOException;
  }

  /** Runs {@code attempt}, retrying it as the policy allows; the last failure is thrown. */
  <T> T call(Attempt<T> attempt) throws IOException {
    Attempts attempts = begin();
    while (true) {
      long start = System.nanoTime();
      try {
        return attempt.run();
      } catch (IOException e) {
        attempts.failed(e, start);
      }
    }
  }

  /** The retries of one call, for callers that resume rather than repeat (a batched fetch). */
  Attempts begin() {
    return new Attempts();
  }

  /** Whether {@code e} is a failure worth another try. */
  static boolean retryable(IOException e) {
    return e instanceof ConnectionLostException || e instanceof RemoteStalledException;
  }

  /** Counts the failed tries of one call. Not thread-safe (one call runs on one thread). */
  final class Attempts {
    private int failures;
    private int stalls;

    private Attempts() {}

    /** The last try made progress worth keeping: the count of failures starts again. */
    void progressed() {
      failures = 0;
    }

    /**
     * After a try that began at {@code startNanos} failed with {@code e}: returns after the backoff
     * wait if the call may be tried again, else throws {@code e}.
     */
    void failed(IOException e, long startNanos) throws IOException {
      long spent = spentNanos.addAndGet(Math.max(0, System.nanoTime() - startNanos));
      failures++;
      if (e instanceof RemoteStalledException) {
        stalls++;
      }
      if (!retryable(e)
          || failures >= policy.maxAttempts()
          || stalls > 1
          || spent >= policy.budget().toNanos()) {
        throw e;
      }
      Duration wait = policy.backoff(failures);
      long nanos = wait.toNanos();
      if (nanos > 0) {
        nanos = nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
        spentNanos.addAndGet(nanos);
        try {
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          InterruptedIOException stop =
              new InterruptedIOException("interrupted while waiting to retry: " + e.getMessage());
          stop.initCause(e);
          throw stop;
        }
      }
      beforeRetry.accept(e);
    }
  }
}
