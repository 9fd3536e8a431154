package io.vaultsync.core.hash;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A SHA-256 over data that arrives in buffers, computed on another thread while the caller goes on
 * with the same buffers: with two cores, hashing the whole file no longer adds to the time of a
 * delta or a patch. Updates are hashed in order.
 *
 * <p>Contract: after {@code update(data, off, len)} the caller must not change {@code
 * data[off..off+len)} until its next {@code update} or {@link #finish()} returns (each call first
 * waits for the previous one) — double buffering satisfies it. With a null executor it hashes on
 * the calling thread.
 *
 * <p>Not thread-safe: one producer.
 */
public final class PipelinedDigest {
  private final MessageDigest sha = ContentHash.newDigest();
  private final Executor executor;
  private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

  public PipelinedDigest(Executor executor) {
    this.executor = executor;
  }

  /** Hashes {@code data[off..off+len)} after everything given before. */
  public void update(byte[] data, int off, int len) throws IOException {
    await();
    if (executor == null) {
      sha.update(data, off, len);
    } else {
      pending = CompletableFuture.runAsync(() -> sha.update(data, off, len), executor);
    }
  }

  /** The hash of everything given. */
  public ContentHash finish() throws IOException {
    await();
    return ContentHash.finish(sha);
  }

  private void await() throws IOException {
    try {
      pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    } catch (ExecutionException e) {
      throw new IllegalStateException("hashing failed", e.getCause());
    }
  }
}
