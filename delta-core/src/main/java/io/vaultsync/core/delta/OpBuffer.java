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

  void replay(DeltaSink sink) throws IOException {
    int lit = 0;
    for (int i = 0; i < opCount; i += 2) {
      if (ops[i] < 0) {
        int n = (int) ops[i + 1];
        sink.literal(literals, lit, n);
        lit += n;
      } else {
        sink.copy(ops[i], ops[i + 1]);
      }
    }
  }

  private void add(long a, long b) {
    if (opCount + 2 > ops.length) {
      ops = Arrays.copyOf(ops, ops.length * 2);
    }
    ops[opCount++] = a;
    ops[opCount++] = b;
  }
}
