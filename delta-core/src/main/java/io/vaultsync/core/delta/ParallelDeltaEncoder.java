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
 * pays. Segment boundaries cost nothing: each segment is matched together with the first block of
 * the next one, and when the segments' operations are replayed, a copy that runs past its segment's
 * end is kept and the next segment's operations are cut to follow it (operations address single
 * bytes, so any prefix can be cut). The price is memory: O(inFlight × segment) instead of one
 * window.
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

  private record Pending(byte[] buffer, long start, long end, Future<OpBuffer> ops) {}

  /**
   * Reads {@code target} to its end and pushes the delta's operations and end into {@code sink}.
   */
  public void encode(InputStream target, DeltaSink sink) throws IOException {
    int lookahead = signature.blockLength();
    MessageDigest whole = ContentHash.newDigest();
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    ArrayDeque<byte[]> free = new ArrayDeque<>();
    long total = 0;
    long emitted = 0;
    byte[] held = null; // the last segment read, waiting for its lookahead
    int heldLength = 0;
    try {
      while (true) {
        byte[] buf = free.isEmpty() ? new byte[segmentLength + lookahead] : free.pop();
        int n = readFully(target, buf, segmentLength);
        whole.update(buf, 0, n);
        if (held != null) {
          // The held segment also matches the first block of this one, so a block that
          // straddles the boundary is still found.
          int extra = Math.min(lookahead, n);
          System.arraycopy(buf, 0, held, heldLength, extra);
          pending.add(submit(held, total - heldLength, heldLength, extra));
          held = null;
        }
        total += n;
        while (pending.size() >= inFlight) {
          Pending p = pending.poll();
          emitted = drain(p, sink, emitted);
          free.push(p.buffer());
        }
        if (n == 0) {
          free.push(buf);
          break;
        }
        held = buf;
        heldLength = n;
        if (n < segmentLength) {
          break;
        }
      }
      if (held != null) {
        pending.add(submit(held, total - heldLength, heldLength, 0));
      }
      while (!pending.isEmpty()) {
        emitted = drain(pending.poll(), sink, emitted);
      }
    } finally {
      for (Pending p : pending) {
        p.ops().cancel(true);
      }
    }
    if (emitted != total) {
      throw new IllegalStateException(
          "segments covered " + emitted + " of " + total + " target bytes");
    }
    sink.end(total, ContentHash.finish(whole));
  }

  private Pending submit(byte[] buf, long start, int length, int extra) {
    return new Pending(
        buf, start, start + length, executor.submit(() -> matchSegment(buf, length + extra)));
  }

  private OpBuffer matchSegment(byte[] buf, int n) throws IOException {
    OpBuffer ops = new OpBuffer();
    DeltaEncoder encoder = new DeltaEncoder(signature, index, ops, false);
    encoder.update(buf, 0, n);
    encoder.flushTail();
    return ops;
  }

  private static long drain(Pending p, DeltaSink sink, long emitted) throws IOException {
    try {
      return p.ops().get().replay(sink, p.start(), p.end(), emitted);
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

  private static int readFully(InputStream in, byte[] buf, int max) throws IOException {
    int done = 0;
    while (done < max) {
      int n = in.read(buf, done, max - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }
}
