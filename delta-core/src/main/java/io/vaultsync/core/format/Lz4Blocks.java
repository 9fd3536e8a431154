package io.vaultsync.core.format;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block compression of literals (lz4-java, the maintained at.yawk fork). Decompression uses the
 * safe decompressor with an exact output size, so a block that claims to expand past its declared
 * length fails instead of writing past the buffer.
 */
final class Lz4Blocks {
  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
  private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

  private Lz4Blocks() {}

  static int maxCompressedLength(int rawLength) {
    return COMPRESSOR.maxCompressedLength(rawLength);
  }

  /** Compresses src[0..len) into dst; returns the compressed length. */
  static int compress(byte[] src, int len, byte[] dst) {
    return COMPRESSOR.compress(src, 0, len, dst, 0, dst.length);
  }

  /** Decompresses exactly {@code rawLength} bytes into dst, or throws naming the problem. */
  static void decompress(byte[] src, int srcLen, byte[] dst, int rawLength, long at)
      throws CorruptDataException {
    int n;
    try {
      n = DECOMPRESSOR.decompress(src, 0, srcLen, dst, 0, rawLength);
    } catch (LZ4Exception e) {
      throw new CorruptDataException(
          "LZ4 literal at offset "
              + at
              + " ("
              + srcLen
              + " bytes declared to expand to "
              + rawLength
              + ") does not decompress: "
              + e.getMessage(),
          e);
    }
    if (n != rawLength) {
      throw new CorruptDataException(
          "LZ4 literal at offset "
              + at
              + " expands to "
              + n
              + " bytes; its header declares "
              + rawLength);
    }
  }
}
