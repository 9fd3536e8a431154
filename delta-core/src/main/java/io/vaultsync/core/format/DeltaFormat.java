package io.vaultsync.core.format;

/** Constants of the delta format; docs/FORMAT.md is the specification. */
public final class DeltaFormat {
  /** "vsdl". */
  static final byte[] MAGIC = {0x76, 0x73, 0x64, 0x6c};

  public static final int VERSION = 1;

  static final int OP_END = 0x00;
  static final int OP_COPY = 0x01;
  static final int OP_LITERAL = 0x02;
  static final int OP_LITERAL_LZ4 = 0x03;

  /** Most raw bytes one literal operation may carry. */
  public static final int MAX_LITERAL_LENGTH = 1 << 20;

  /** Largest target length, copy offset, copy length or offset + length. */
  public static final long MAX_LENGTH = 1L << 62;

  /** Raw bytes the writer gathers into one literal operation by default. */
  public static final int DEFAULT_LITERAL_BLOCK = 64 * 1024;

  private DeltaFormat() {}
}
