package io.vaultsync.core.delta;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.internal.RollingChecksum;
import io.vaultsync.core.internal.StrongSum;
import io.vaultsync.core.signature.Signature;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The matcher: turns a target, fed in buffers of any size, into COPY and LITERAL operations against
 * a basis known only by its {@link Signature}. Never opens files.
 *
 * <p>How it stays fast where data did not change: after a block matches, the encoder expects the
 * next basis block to follow and checks only its strong sum (one XXH3-128 over the block, ~9 GB/s)
 * — it jumps a whole block instead of rolling through it. Only where that guess fails does it
 * compute the weak sum afresh and roll byte by byte, probing the {@link BlockIndex} at each offset.
 * Every weak hit is confirmed by the strong hash before a COPY is emitted.
 *
 * <p>How it stays linear on hostile input: a lookup visits at most {@link BlockIndex#MAX_PROBES}
 * slots, and strong hashes computed for weak hits that then fail (false alarms) are budgeted: once
 * they have hashed more than {@value #FALSE_ALARM_FACTOR}× the target bytes seen so far (plus a few
 * blocks), weak hits are ignored until the budget recovers. Crafted weak collisions can therefore
 * cost matches, never quadratic time.
 *
 * <p>Memory: one buffer that grows to at most {@value #LITERAL_FLUSH} + block length + {@value
 * #INPUT_ROOM} bytes (it starts at two blocks + 4 KiB, so small files stay cheap), plus the index
 * (32 bytes per basis block). Pending literal data is handed to the sink in pieces of at most
 * {@value #LITERAL_FLUSH} bytes.
 *
 * <p>Not thread-safe. One encoder encodes one target.
 */
public final class DeltaEncoder {
  /** Pending literal bytes are passed to the sink once this many have accumulated. */
  static final int LITERAL_FLUSH = 64 * 1024;

  private static final int INPUT_ROOM = 64 * 1024;
  private static final int FALSE_ALARM_FACTOR = 4;

  private final Signature signature;
  private final BlockIndex index;
  private final DeltaSink sink;
  private final int blockLength;
  private final int outFactor;
  private final int fullBlocks;
  private final int shortBlock;
  private final MessageDigest whole;
  private final byte[] digest = new byte[StrongSum.LENGTH];
  private byte[] buf;
  private final int maxBuffer;

  /** Target offset of buf[0]. */
  private long bufBase;

  /** Start of literal data not yet passed to the sink. */
  private int start;

  /** Start of the current window. */
  private int pos;

  /** End of buffered data. */
  private int limit;

  private int weak;
  private boolean weakValid;

  /** Buffer position whose window {@link #digest} holds the strong hash of, or -1. */
  private int digestPos = -1;

  /** The block expected at {@link #pos} because the previous block matched, or -1. */
  private int predicted = -1;

  private long falseAlarmBytes;
  private long total;
  private boolean finished;

  /** An encoder against the basis described by {@code signature}, emitting into {@code sink}. */
  public DeltaEncoder(Signature signature, DeltaSink sink) {
    this(signature, new BlockIndex(signature), sink, true);
  }

  /**
   * An encoder that shares {@code index}; without {@code hashTarget} it can only {@link
   * #flushTail}.
   */
  DeltaEncoder(Signature signature, BlockIndex index, DeltaSink sink, boolean hashTarget) {
    this.whole = hashTarget ? ContentHash.newDigest() : null;
    this.signature = Objects.requireNonNull(signature, "signature");
    this.index = index;
    this.sink = Objects.requireNonNull(sink, "sink");
    this.blockLength = signature.blockLength();
    this.outFactor = RollingChecksum.power(blockLength);
    int n = signature.blockCount();
    boolean lastIsShort = n > 0 && signature.blockLengthOf(n - 1) < blockLength;
    this.fullBlocks = lastIsShort ? n - 1 : n;
    this.shortBlock = lastIsShort ? n - 1 : -1;
    // Start small and grow: most notes are a few KiB, and an encoder per file must not cost
    // 130 KiB of zeroed memory each.
    this.maxBuffer = LITERAL_FLUSH + blockLength + INPUT_ROOM;
    this.buf = new byte[Math.min(maxBuffer, 2 * blockLength + 4096)];
  }

  /** Feeds the next {@code len} bytes of the target. */
  public void update(byte[] data, int off, int len) throws IOException {
    if (finished) {
      throw new IllegalStateException("delta already finished");
    }
    Objects.checkFromIndexSize(off, len, data.length);
    if (whole != null) {
      whole.update(data, off, len);
    }
    total += len;
    while (len > 0) {
      if (limit == buf.length) {
        compact();
        if (limit == buf.length) {
          buf = java.util.Arrays.copyOf(buf, Math.min(maxBuffer, 2 * buf.length));
        }
      }
      int n = Math.min(len, buf.length - limit);
      System.arraycopy(data, off, buf, limit, n);
      limit += n;
      off += n;
      len -= n;
      match();
    }
  }

  /** Ends the target: emits the remaining operations and the end marker. */
  public void finish() throws IOException {
    if (whole == null) {
      throw new IllegalStateException("this encoder does not hash its target; use flushTail()");
    }
    flushTail();
    sink.end(total, ContentHash.finish(whole));
  }

  /** Emits the remaining operations of the target, without the end marker. */
  void flushTail() throws IOException {
    if (finished) {
      throw new IllegalStateException("delta already finished");
    }
    finished = true;
    match();
    if (shortBlock >= 0) {
      int shortLen = signature.blockLengthOf(shortBlock);
      int tail = limit - shortLen;
      if (tail >= start
          && RollingChecksum.of(buf, tail, shortLen) == signature.weakSum(shortBlock)
          && strongAt(tail, shortLen)
          && signature.strongEquals(shortBlock, digest)) {
        if (tail > start) {
          sink.literal(buf, start, tail - start);
        }
        sink.copy(signature.blockOffset(shortBlock), shortLen);
        start = limit;
      }
    }
    if (limit > start) {
      sink.literal(buf, start, limit - start);
    }
    start = pos = limit;
  }

  /** Bytes of target fed so far. */
  public long targetBytes() {
    return total;
  }

  private void compact() {
    int keep = limit - start;
    System.arraycopy(buf, start, buf, 0, keep);
    bufBase += start;
    pos -= start;
    limit = keep;
    start = 0;
    digestPos = -1;
  }

  /** Matches every window that has a full block of data after it. */
  private void match() throws IOException {
    final byte[] b = buf;
    final int len = blockLength;
    final BlockIndex index = this.index;
    int p = pos;
    while (limit - p >= len) {
      if (predicted >= 0) {
        int block = predicted;
        predicted = -1;
        strongAt(p, len);
        if (signature.strongEquals(block, digest)) {
          p = emitCopy(p, block);
          continue;
        }
      }
      if (!weakValid) {
        weak = RollingChecksum.of(b, p, len);
        weakValid = true;
      }
      int w = weak;
      int found = -1;
      while (true) {
        if (index.mayContain(w)) {
          found = lookup(p, w);
          if (found >= 0) {
            break;
          }
        }
        if (p + len >= limit) {
          weak = w;
          pos = p;
          return;
        }
        w = w * RollingChecksum.MULT + (b[p + len] & 0xff) - (b[p] & 0xff) * outFactor;
        p++;
        if (p - start >= LITERAL_FLUSH) {
          sink.literal(b, start, p - start);
          start = p;
        }
      }
      weak = w;
      p = emitCopy(p, found);
    }
    pos = p;
  }

  /** The block whose weak sum is {@code w} and whose strong hash equals the window's, or -1. */
  private int lookup(int p, int w) {
    long[] table = index.table;
    int slot = index.slotOf(w);
    boolean hashed = digestPos == p;
    for (int probe = 0; probe < BlockIndex.MAX_PROBES; probe++, slot = (slot + 1) & index.mask) {
      long e = table[slot];
      if (e == 0) {
        break;
      }
      if ((int) (e >>> 32) != w) {
        continue;
      }
      if (!hashed) {
        long seen = bufBase + p;
        if (falseAlarmBytes > FALSE_ALARM_FACTOR * seen + 16L * blockLength) {
          return -1;
        }
        strongAt(p, blockLength);
        hashed = true;
      }
      int block = (int) e - 1;
      if (signature.strongEquals(block, digest)) {
        return block;
      }
    }
    if (hashed) {
      falseAlarmBytes += blockLength;
    }
    return -1;
  }

  private int emitCopy(int p, int block) throws IOException {
    if (p > start) {
      sink.literal(buf, start, p - start);
    }
    sink.copy(signature.blockOffset(block), blockLength);
    p += blockLength;
    start = p;
    pos = p;
    weakValid = false;
    digestPos = -1;
    predicted = block + 1 < fullBlocks ? block + 1 : -1;
    return p;
  }

  /** Puts the strong sum of {@code buf[p..p+len)} into {@link #digest}; returns true. */
  private boolean strongAt(int p, int len) {
    StrongSum.of(buf, p, len, digest, 0);
    digestPos = len == blockLength ? p : -1;
    return true;
  }
}
