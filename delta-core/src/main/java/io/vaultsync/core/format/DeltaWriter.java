package io.vaultsync.core.format;

import io.vaultsync.core.delta.DeltaSink;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Encodes operations into the delta format (docs/FORMAT.md): writes the header at once, merges
 * adjacent copies, gathers literals into blocks of up to {@code literalBlock} bytes and stores each
 * block LZ4-compressed when that is smaller. Buffers its output; {@link #end} flushes the stream
 * but does not close it.
 *
 * <p>Not thread-safe.
 */
public final class DeltaWriter implements DeltaSink {
  private final OutputStream out;
  private byte[] literal;
  private final int literalBlock;
  private byte[] compressed = new byte[0];
  private final byte[] outBuf = new byte[8 * 1024];
  private int outLen;
  private int literalLen;
  private long copyOffset = -1;
  private long copyLength;
  private long written;
  private long targetBytes;
  private long literalBytes;
  private long copiedBytes;
  private long copyOps;
  private long literalOps;
  private boolean ended;

  /**
   * A writer with the default literal block of {@value DeltaFormat#DEFAULT_LITERAL_BLOCK} bytes.
   */
  public DeltaWriter(OutputStream out) throws IOException {
    this(out, DeltaFormat.DEFAULT_LITERAL_BLOCK);
  }

  public DeltaWriter(OutputStream out, int literalBlock) throws IOException {
    if (literalBlock < 1 || literalBlock > DeltaFormat.MAX_LITERAL_LENGTH) {
      throw new IllegalArgumentException(
          "literal block "
              + literalBlock
              + " bytes; expected 1.."
              + DeltaFormat.MAX_LITERAL_LENGTH);
    }
    this.out = Objects.requireNonNull(out, "out");
    this.literalBlock = literalBlock;
    this.literal = new byte[Math.min(literalBlock, 4096)];
    put(DeltaFormat.MAGIC, 0, DeltaFormat.MAGIC.length);
    putByte(DeltaFormat.VERSION);
  }

  @Override
  public void copy(long offset, long length) throws IOException {
    checkOpen();
    if (offset < 0 || length <= 0 || offset > DeltaFormat.MAX_LENGTH - length) {
      throw new IllegalArgumentException(
          "copy of "
              + length
              + " bytes at offset "
              + offset
              + "; expected length > 0 and end <= 2^62");
    }
    flushLiteral();
    targetBytes += length;
    copiedBytes += length;
    if (copyOffset >= 0 && copyOffset + copyLength == offset) {
      copyLength += length;
      return;
    }
    flushCopy();
    copyOffset = offset;
    copyLength = length;
  }

  @Override
  public void literal(byte[] data, int offset, int length) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, data.length);
    flushCopy();
    targetBytes += length;
    literalBytes += length;
    while (length > 0) {
      if (literalLen == literal.length) {
        literal = java.util.Arrays.copyOf(literal, Math.min(literalBlock, 2 * literal.length));
      }
      int n = Math.min(length, literal.length - literalLen);
      System.arraycopy(data, offset, literal, literalLen, n);
      literalLen += n;
      offset += n;
      length -= n;
      if (literalLen == literalBlock) {
        flushLiteral();
      }
    }
  }

  @Override
  public void end(long targetLength, ContentHash targetHash) throws IOException {
    checkOpen();
    if (targetLength != targetBytes) {
      throw new IllegalArgumentException(
          "end of a target of " + targetLength + " bytes; the operations add up to " + targetBytes);
    }
    flushCopy();
    flushLiteral();
    putByte(DeltaFormat.OP_END);
    byte[] trailer = new byte[8 + ContentHash.LENGTH];
    for (int i = 0; i < 8; i++) {
      trailer[i] = (byte) (targetLength >>> (56 - 8 * i));
    }
    targetHash.copyTo(trailer, 8);
    put(trailer, 0, trailer.length);
    drain();
    out.flush();
    ended = true;
  }

  /** Statistics; complete once {@link #end} returned. */
  public DeltaStats stats() {
    return new DeltaStats(targetBytes, written, literalBytes, copiedBytes, copyOps, literalOps);
  }

  private void checkOpen() {
    if (ended) {
      throw new IllegalStateException("delta already ended");
    }
  }

  private void flushCopy() throws IOException {
    if (copyOffset < 0) {
      return;
    }
    byte[] op = new byte[1 + 2 * Varint.MAX_BYTES];
    op[0] = DeltaFormat.OP_COPY;
    int n = 1 + Varint.write(copyOffset, op, 1);
    n += Varint.write(copyLength, op, n);
    put(op, 0, n);
    copyOps++;
    copyOffset = -1;
    copyLength = 0;
  }

  private void flushLiteral() throws IOException {
    if (literalLen == 0) {
      return;
    }
    byte[] head = new byte[1 + 2 * Varint.MAX_BYTES];
    int bound = Lz4Blocks.maxCompressedLength(literalLen);
    if (compressed.length < bound) {
      compressed = new byte[bound]; // grows with the literal buffer, which doubles
    }
    int clen = Lz4Blocks.compress(literal, literalLen, compressed);
    if (clen < literalLen) {
      head[0] = DeltaFormat.OP_LITERAL_LZ4;
      int n = 1 + Varint.write(literalLen, head, 1);
      n += Varint.write(clen, head, n);
      put(head, 0, n);
      put(compressed, 0, clen);
    } else {
      head[0] = DeltaFormat.OP_LITERAL;
      int n = 1 + Varint.write(literalLen, head, 1);
      put(head, 0, n);
      put(literal, 0, literalLen);
    }
    literalOps++;
    literalLen = 0;
  }

  private void putByte(int b) throws IOException {
    if (outLen == outBuf.length) {
      drain();
    }
    outBuf[outLen++] = (byte) b;
    written++;
  }

  private void put(byte[] b, int off, int len) throws IOException {
    written += len;
    if (len >= outBuf.length) {
      drain();
      out.write(b, off, len);
      return;
    }
    if (outLen + len > outBuf.length) {
      drain();
    }
    System.arraycopy(b, off, outBuf, outLen, len);
    outLen += len;
  }

  private void drain() throws IOException {
    if (outLen > 0) {
      out.write(outBuf, 0, outLen);
      outLen = 0;
    }
  }
}
