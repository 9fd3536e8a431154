package io.vaultsync.core.internal;

/**
 * The weak rolling checksum: a polynomial (Rabin-Karp) hash modulo 2<sup>32</sup>.
 *
 * <pre>
 *   sum(b[0..n)) = b[0]·M^(n-1) + b[1]·M^(n-2) + … + b[n-1]      (mod 2^32, bytes unsigned)
 *   roll:  sum' = sum·M + in − out·M^n
 * </pre>
 *
 * <p>Why this sum and not rsync's Adler-style pair of 16-bit sums: librsync measured that the rsync
 * sum clusters badly on text (its low half is a plain byte sum, which for ASCII occupies a few
 * thousand values), so more windows hit a block's weak sum and pay for a strong hash. librsync 2.x
 * switched new signatures to this polynomial hash with the same multiplier ({@link #MULT}, odd, so
 * multiplication is a bijection mod 2^32). Rolling costs one multiply-add more than rsync's sum,
 * which is far cheaper than the strong hashes it saves. A fresh sum over a block is computed four
 * bytes at a time so the multiply chain is one multiply per four bytes.
 *
 * <p>Instances are mutable and not thread-safe; the static methods are pure.
 */
public final class RollingChecksum {
  /** The multiplier, librsync's RABINKARP_MULT. */
  public static final int MULT = 0x08104225;

  private static final int MULT2 = MULT * MULT;
  private static final int MULT3 = MULT2 * MULT;
  private static final int MULT4 = MULT3 * MULT;

  private final int windowLength;
  private final int outFactor;
  private int sum;

  /** A checksum for windows of {@code windowLength} bytes, initially over nothing. */
  public RollingChecksum(int windowLength) {
    if (windowLength <= 0) {
      throw new IllegalArgumentException("window length " + windowLength + "; expected > 0");
    }
    this.windowLength = windowLength;
    this.outFactor = power(windowLength);
  }

  /** M^n mod 2^32. */
  public static int power(int n) {
    int result = 1;
    int base = MULT;
    for (int e = n; e > 0; e >>>= 1) {
      if ((e & 1) != 0) {
        result *= base;
      }
      base *= base;
    }
    return result;
  }

  /** The sum of {@code len} bytes of {@code data} from {@code off}, computed afresh. */
  public static int of(byte[] data, int off, int len) {
    int h = 0;
    int i = off;
    int end4 = off + (len & ~3);
    for (; i < end4; i += 4) {
      h =
          h * MULT4
              + (data[i] & 0xff) * MULT3
              + (data[i + 1] & 0xff) * MULT2
              + (data[i + 2] & 0xff) * MULT
              + (data[i + 3] & 0xff);
    }
    int end = off + len;
    for (; i < end; i++) {
      h = h * MULT + (data[i] & 0xff);
    }
    return h;
  }

  /** Rolls {@code out} out of and {@code in} into a window whose sum is {@code sum}. */
  public static int roll(int sum, int outFactor, byte out, byte in) {
    return sum * MULT + (in & 0xff) - (out & 0xff) * outFactor;
  }

  /** Sets the window to {@code len == windowLength} bytes of {@code data} at {@code off}. */
  public void reset(byte[] data, int off, int len) {
    if (len != windowLength) {
      throw new IllegalArgumentException(
          "window of " + len + " bytes; this checksum rolls windows of " + windowLength);
    }
    sum = of(data, off, len);
  }

  /** Slides the window one byte: {@code out} leaves at the front, {@code in} enters at the back. */
  public void roll(byte out, byte in) {
    sum = roll(sum, outFactor, out, in);
  }

  /** The factor M^n that {@link #roll(int, int, byte, byte)} needs for this window length. */
  public int outFactor() {
    return outFactor;
  }

  public int windowLength() {
    return windowLength;
  }

  /** The sum of the current window. */
  public int value() {
    return sum;
  }

  @Override
  public String toString() {
    return "RollingChecksum[window=" + windowLength + ", sum=" + Integer.toHexString(sum) + "]";
  }
}
