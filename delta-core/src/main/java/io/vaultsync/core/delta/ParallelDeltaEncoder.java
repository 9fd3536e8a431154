package io.vaultsync.core.delta;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Encodes a target on several threads: the target is cut into segments of {@link #segmentLength}
 * bytes, each segment is matched by its own {@link DeltaEncoder} against one shared, immutable
 * {@link BlockIndex}, and the operations are replayed into the sink in target order. The calling
 * thread reads, hashes the whole target and writes, while the executor's threads match.
 *
 * <p>Where data changed, matching rolls byte by byte and is CPU-bound; this is where a second core
 * pays. The price: a match that straddles a segment boundary is lost (at most one block of literal
 * per segment, 0.05% at the defaults) and memory is O(inFlight × segment) instead of one window.
 */
public final class ParallelDeltaEncoder {
  /** Default bytes per segment. */
  public static final int DEFAULT_SEGMENT = 4 << 20;

  private final Signature signature;
  private final BlockIndex index;
  private final ExecutorService executor;
  private final int segmentLength;
  private final int inFlight;

  /**
   * @param executor runs the segment matchers; its parallelism decides the speed-up
   * @param inFlight segments being matched or waiting to be written at once (≥ 1)
   */
  public ParallelDeltaEncoder(
      Signature signature, ExecutorService executor, int segmentLength, int inFlight) {
    if (segmentLength < signature.blockLength() || inFlight < 1) {
      throw new IllegalArgumentException(
          "segment of "
              + segmentLength
              + " bytes with "
              + inFlight
              + " in flight; expected a segment of at least one block ("
              + signature.blockLength()
              + ") and at least 1 in flight");
    }
    this.signature = signature;
    this.index = new BlockIndex(signature);
    this.executor = executor;
    this.segmentLength = segmentLength;
    this.inFlight = inFlight;
  }

  private record Pending(byte[] buffer, Future<OpBuffer> ops) {}

  /**
   * Reads {@code target} to its end and pushes the delta's operations and end into {@code sink}.
   */
  public void encode(InputStream target, DeltaSink sink) throws IOException {
    MessageDigest whole = ContentHash.newDigest();
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    ArrayDeque<byte[]> free = new ArrayDeque<>();
    long total = 0;
    try {
      while (true) {
        byte[] buf = free.isEmpty() ? new byte[segmentLength] : free.pop();
        int n = readFully(target, buf);
        if (n == 0) {
          break;
        }
        total += n;
        pending.add(new Pending(buf, executor.submit(() -> matchSegment(buf, n))));
        whole.update(buf, 0, n);
        while (pending.size() >= inFlight) {
          free.push(drain(pending.poll(), sink));
        }
        if (n < buf.length) {
          break;
        }
      }
      while (!pending.isEmpty()) {
        drain(pending.poll(), sink);
      }
    } finally {
      for (Pending p : pending) {
        p.ops().cancel(true);
      }
    }
    sink.end(total, ContentHash.finish(whole));
  }

  private OpBuffer matchSegment(byte[] buf, int n) throws IOException {
    OpBuffer ops = new OpBuffer();
    DeltaEncoder encoder = new DeltaEncoder(signature, index, ops, false);
    encoder.update(buf, 0, n);
    encoder.flushTail();
    return ops;
  }

  private static byte[] drain(Pending p, DeltaSink sink) throws IOException {
    try {
      p.ops().get().replay(sink);
      return p.buffer();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while encoding a delta");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("segment matcher failed", e.getCause());
    }
  }

  private static int readFully(InputStream in, byte[] buf) throws IOException {
    int done = 0;
    while (done < buf.length) {
      int n = in.read(buf, done, buf.length - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }
}
