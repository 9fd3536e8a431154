package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The bytes of a client-streaming call as an {@link InputStream}, read by a worker thread. gRPC
 * delivers chunks with {@link #offer}; the reader takes them and asks gRPC for one more message
 * each time it takes one ({@code request}), so at most {@code window} chunks are ever queued or in
 * flight: a fast client cannot make the server buffer without bound.
 *
 * <p>The stream ends (-1) only after {@link #complete}, the client's half-close. If the call ends
 * any other way ({@link #abort}: cancelled, connection lost, deadline) or no chunk comes for {@code
 * idleTimeout}, reads throw {@link StreamAbortedException}, so a backend that reads a delta to its
 * end marker and then to end of stream (as {@code DeltaReader} does) never records a truncated
 * push.
 */
final class ChunkInputStream extends InputStream {
  private final Object lock = new Object();
  private final ArrayDeque<ByteString> queue = new ArrayDeque<>();
  private final IntConsumer request;
  private final int window;
  private final long idleTimeoutNanos;
  private boolean completed;
  private IOException aborted;
  private ByteString current = ByteString.EMPTY;
  private int pos;

  ChunkInputStream(int window, Duration idleTimeout, IntConsumer request) {
    if (window < 1) {
      throw new IllegalArgumentException("window of " + window + " chunks; expected >= 1");
    }
    this.window = window;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.request = Objects.requireNonNull(request, "request");
  }

  /** Asks gRPC for the first {@code window} messages. */
  void start() {
    request.accept(window);
  }

  /** A chunk from gRPC. Never blocks: gRPC delivers only what was requested. */
  void offer(ByteString chunk) {
    synchronized (lock) {
      if (aborted == null && !completed) {
        queue.add(chunk);
        lock.notifyAll();
      }
    }
  }

  /** The client half-closed: after the queued chunks, the stream ends. */
  void complete() {
    synchronized (lock) {
      completed = true;
      lock.notifyAll();
    }
  }

  /** The call ended without completing: reads throw {@code cause} from now on. */
  void abort(IOException cause) {
    synchronized (lock) {
      if (aborted == null) {
        aborted = cause;
      }
      queue.clear();
      lock.notifyAll();
    }
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current.byteAt(pos++) & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.size() - pos);
    current.copyTo(b, pos, off, n);
    pos += n;
    return n;
  }

  /** Makes {@code current} have unread bytes; false at end of stream. */
  private boolean fill() throws IOException {
    while (pos == current.size()) {
      ByteString next;
      synchronized (lock) {
        long deadline = System.nanoTime() + idleTimeoutNanos;
        while (aborted == null && queue.isEmpty() && !completed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            aborted =
                new StreamAbortedException(
                    "no push data for " + Duration.ofNanos(idleTimeoutNanos).toSeconds() + " s",
                    null);
            break;
          }
          try {
            lock.wait(left / 1_000_000 + 1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for push data");
          }
        }
        if (aborted != null) {
          throw new StreamAbortedException(aborted.getMessage(), aborted);
        }
        next = queue.poll();
        if (next == null) {
          return false; // completed and drained
        }
      }
      current = next;
      pos = 0;
      request.accept(1);
    }
    return true;
  }
}
