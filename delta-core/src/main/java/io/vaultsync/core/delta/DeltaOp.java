package io.vaultsync.core.delta;

import io.vaultsync.core.hash.ContentHash;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One operation of a delta as a value, for tests, debugging and small in-memory deltas. The
 * streaming paths use {@link DeltaSink} and never build these.
 */
public sealed interface DeltaOp {
  /** Basis bytes {@code [offset, offset + length)}. */
  record Copy(long offset, long length) implements DeltaOp {
    public Copy {
      if (offset < 0 || length <= 0) {
        throw new IllegalArgumentException(
            "copy of " + length + " bytes at " + offset + "; expected offset >= 0, length > 0");
      }
    }
  }

  /** Literal bytes; the array is copied in and out. */
  final class Literal implements DeltaOp {
    private final byte[] data;

    public Literal(byte[] data, int offset, int length) {
      if (length <= 0) {
        throw new IllegalArgumentException("literal of " + length + " bytes; expected > 0");
      }
      this.data = Arrays.copyOfRange(data, offset, offset + length);
    }

    public int length() {
      return data.length;
    }

    public byte[] bytes() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Literal l && Arrays.equals(data, l.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      String hex = HexFormat.of().formatHex(data, 0, Math.min(16, data.length));
      return "Literal[" + data.length + " bytes: " + hex + (data.length > 16 ? "…]" : "]");
    }
  }

  /** The end marker. */
  record End(long targetLength, ContentHash targetHash) implements DeltaOp {}
}
