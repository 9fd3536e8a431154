package io.vaultsync.core.format;

import io.vaultsync.core.delta.DeltaSink;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses a delta (docs/FORMAT.md) from a stream and pushes its operations into a sink. Checks every
 * rule of the format before acting on a value: lengths are bounded before anything is allocated,
 * operations must add up to the declared target length, the end marker must be there and nothing
 * may follow it. Memory: at most one literal ({@value DeltaFormat#MAX_LITERAL_LENGTH} bytes) and
 * its compressed form.
 *
 * <p>Whether a copy lies inside the basis is for the sink to check (the patcher knows the basis).
 */
public final class DeltaReader {
  private DeltaReader() {}

  /** Reads a whole delta from {@code in} into {@code sink}; throws {@link FormatException}s. */
  public static void read(InputStream in, DeltaSink sink) throws IOException {
    FormatInput input = new FormatInput(in);
    readHeader(input);
    byte[] raw = new byte[0];
    byte[] stored = new byte[0];
    long total = 0;
    while (true) {
      long at = input.offset();
      int op = input.readByte("an operation code (no end marker)");
      switch (op) {
        case DeltaFormat.OP_END -> {
          long declared = input.readLong("the end marker's target length");
          byte[] hash = new byte[ContentHash.LENGTH];
          input.readFully(hash, 0, hash.length, "the end marker's target hash");
          if (declared != total) {
            throw new CorruptDataException(
                "end marker at offset "
                    + at
                    + " declares a target of "
                    + Long.toUnsignedString(declared)
                    + " bytes; the operations add up to "
                    + total);
          }
          input.expectEnd("end marker");
          sink.end(declared, ContentHash.of(hash));
          return;
        }
        case DeltaFormat.OP_COPY -> {
          long offset = input.readVarint("a copy offset");
          long length = input.readVarint("a copy length");
          if (length == 0) {
            throw new CorruptDataException("zero-length copy at offset " + at);
          }
          if (offset > DeltaFormat.MAX_LENGTH - length) {
            throw new CorruptDataException(
                "copy at offset "
                    + at
                    + " of "
                    + length
                    + " bytes from basis offset "
                    + offset
                    + " ends past 2^62");
          }
          total = addLength(total, length, at);
          sink.copy(offset, length);
        }
        case DeltaFormat.OP_LITERAL -> {
          int length = literalLength(input.readVarint("a literal length"), at);
          if (raw.length < length) {
            raw = new byte[length];
          }
          input.readFully(raw, 0, length, "a literal of " + length + " bytes");
          total = addLength(total, length, at);
          sink.literal(raw, 0, length);
        }
        case DeltaFormat.OP_LITERAL_LZ4 -> {
          int length = literalLength(input.readVarint("an LZ4 literal's length"), at);
          long storedLength = input.readVarint("an LZ4 literal's stored length");
          if (storedLength < 1 || storedLength >= length) {
            throw new CorruptDataException(
                "LZ4 literal at offset "
                    + at
                    + " stores "
                    + storedLength
                    + " bytes for "
                    + length
                    + "; expected 1.."
                    + (length - 1));
          }
          if (stored.length < storedLength) {
            stored = new byte[(int) storedLength];
          }
          if (raw.length < length) {
            raw = new byte[length];
          }
          input.readFully(
              stored, 0, (int) storedLength, "an LZ4 literal of " + storedLength + " bytes");
          Lz4Blocks.decompress(stored, (int) storedLength, raw, length, at);
          total = addLength(total, length, at);
          sink.literal(raw, 0, length);
        }
        default ->
            throw new CorruptDataException(
                "unknown operation code 0x"
                    + Integer.toHexString(op)
                    + " at offset "
                    + at
                    + "; expected 0x00..0x03");
      }
    }
  }

  private static void readHeader(FormatInput input) throws IOException {
    byte[] magic = new byte[DeltaFormat.MAGIC.length];
    input.readFully(magic, 0, magic.length, "the delta magic");
    if (!java.util.Arrays.equals(magic, DeltaFormat.MAGIC)) {
      throw new BadHeaderException(
          "not a vaultsync delta: magic "
              + java.util.HexFormat.of().formatHex(magic)
              + "; expected 7673646c (\"vsdl\")");
    }
    int version = input.readByte("the delta version");
    if (version != DeltaFormat.VERSION) {
      throw new BadHeaderException(
          "delta version " + version + " is not supported; expected " + DeltaFormat.VERSION);
    }
  }

  private static int literalLength(long length, long at) throws CorruptDataException {
    if (length < 1 || length > DeltaFormat.MAX_LITERAL_LENGTH) {
      throw new CorruptDataException(
          "literal at offset "
              + at
              + " of "
              + length
              + " bytes; expected 1.."
              + DeltaFormat.MAX_LITERAL_LENGTH);
    }
    return (int) length;
  }

  private static long addLength(long total, long length, long at) throws CorruptDataException {
    if (length > DeltaFormat.MAX_LENGTH - total) {
      throw new CorruptDataException(
          "operation at offset "
              + at
              + " of "
              + length
              + " bytes after "
              + total
              + " makes the target longer than 2^62 bytes ("
              + DeltaFormat.MAX_LENGTH
              + ")");
    }
    return total + length;
  }
}
