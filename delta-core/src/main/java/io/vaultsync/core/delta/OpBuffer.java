package io.vaultsync.core.delta;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.util.Arrays;

/**
 * Records the operations of one segment of a target so they can be replayed, in order, into the
 * real sink: copies as (offset, length) pairs, literals as (-1, length) with their bytes appended
 * to one growing array. Ignores the end marker. Memory: the segment's literal bytes plus 16 bytes
 * per operation.
 */
final class OpBuffer implements DeltaSink {
  private long[] ops = new long[64];
  private int opCount;
  private byte[] literals = new byte[0];
  private int literalLength;

  @Override
  public void copy(long offset, long length) {
    add(offset, length);
  }

  @Override
  public void literal(byte[] data, int offset, int length) {
    if (literalLength + length > literals.length) {
      literals = Arrays.copyOf(literals, Math.max(literalLength + length, 2 * literals.length));
    }
    System.arraycopy(data, offset, literals, literalLength, length);
    literalLength += length;
    add(-1, length);
  }

  @Override
  public void end(long targetLength, ContentHash targetHash) {}

  /**
   * Replays the recorded operations, which cover target bytes from {@code start}, into {@code
   * sink}, keeping only what lies in {@code [emitted, end)}: operations wholly before {@code
   * emitted} (already covered by the previous segment's overhanging copy) are dropped, one that
   * straddles {@code emitted} is cut, literals stop at {@code end}, and a copy that starts before
   * {@code end} is kept whole (the next segment's operations are then cut to follow it). Cutting is
   * always valid because every operation addresses single bytes.
   *
   * @return the target position up to which operations were emitted
   */
  long replay(DeltaSink sink, long start, long end, long emitted) throws IOException {
    long pos = start;
    int lit = 0;
    for (int i = 0; i < opCount && pos < end; i += 2) {
      long len = ops[i + 1];
      long opEnd = pos + len;
      if (opEnd > emitted) {
        long from = Math.max(pos, emitted);
        if (ops[i] < 0) {
          long to = Math.min(opEnd, end);
          if (to > from) {
            sink.literal(literals, lit + (int) (from - pos), (int) (to - from));
            emitted = to;
          }
        } else {
          sink.copy(ops[i] + (from - pos), opEnd - from);
          emitted = opEnd;
        }
      }
      if (ops[i] < 0) {
        lit += (int) len;
      }
      pos = opEnd;
    }
    return emitted;
  }

  private void add(long a, long b) {
    if (opCount + 2 > ops.length) {
      ops = Arrays.copyOf(ops, ops.length * 2);
    }
    ops[opCount++] = a;
    ops[opCount++] = b;
  }
}
