package io.vaultsync.core.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Passes a delta on with every LITERAL_LZ4 replaced by the LITERAL it stands for (docs/FORMAT.md
 * section 4): the same delta, patched the same way, with its literal bytes raw. For a transport
 * that compresses whole messages (zstd over many files), where LZ4 inside each file only hides the
 * text from the stronger compressor. Everything else (header, COPYs, LITERALs, the END trailer and
 * whatever follows) passes through unchanged, so an invalid delta stays invalid for the reader that
 * checks it; only an LZ4 block is checked here, since it has to be decompressed: a declared length
 * out of range or a block that does not expand to it throws {@link CorruptDataException} before
 * anything is allocated for it.
 *
 * <p>Works on any split of the input into writes. Not thread-safe. {@link #close} closes the
 * target; {@link #flush} flushes it.
 */
public final class RawLiteralOutput extends FilterOutputStream {
  private static final int HEADER = DeltaFormat.MAGIC.length + 1;

  private enum State {
    HEADER,
    OP,
    COPY_VARINTS,
    LITERAL_LENGTH,
    LITERAL_BYTES,
    LZ4_RAW_LENGTH,
    LZ4_STORED_LENGTH,
    LZ4_BYTES,
    TAIL
  }

  private State state = State.HEADER;
  private long position;
  private long remaining = HEADER;
  private int varintsLeft;
  private long varint;
  private int varintShift;
  private int rawLength;
  private byte[] stored = new byte[0];
  private int storedLength;
  private int storedFilled;
  private byte[] raw = new byte[0];
  private final byte[] head = new byte[1 + Varint.MAX_BYTES];

  public RawLiteralOutput(OutputStream out) {
    super(Objects.requireNonNull(out, "out"));
  }

  /** Whether the input so far ended with a whole delta (its END and trailer included). */
  public boolean complete() {
    return state == State.TAIL && remaining == 0;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    int end = off + len;
    while (off < end) {
      switch (state) {
        case HEADER, LITERAL_BYTES -> {
          int n = (int) Math.min(end - off, remaining);
          out.write(b, off, n);
          off += n;
          position += n;
          remaining -= n;
          if (remaining == 0) {
            state = State.OP;
          }
        }
        case TAIL -> {
          int n = end - off;
          out.write(b, off, n);
          off = end;
          position += n;
          remaining = Math.max(0, remaining - n);
        }
        case OP -> {
          int op = b[off++] & 0xff;
          position++;
          switch (op) {
            case DeltaFormat.OP_END -> {
              out.write(op);
              state = State.TAIL;
              remaining = 8 + io.vaultsync.core.hash.ContentHash.LENGTH;
            }
            case DeltaFormat.OP_COPY -> {
              out.write(op);
              state = State.COPY_VARINTS;
              varintsLeft = 2;
            }
            case DeltaFormat.OP_LITERAL -> {
              out.write(op);
              startVarint(State.LITERAL_LENGTH);
            }
            case DeltaFormat.OP_LITERAL_LZ4 -> startVarint(State.LZ4_RAW_LENGTH);
            default -> out.write(op); // the reader names it; nothing more to understand here
          }
        }
        case COPY_VARINTS -> {
          int v = b[off++] & 0xff;
          position++;
          out.write(v);
          if ((v & 0x80) == 0 && --varintsLeft == 0) {
            state = State.OP;
          }
        }
        case LITERAL_LENGTH -> {
          int v = b[off++] & 0xff;
          position++;
          out.write(v);
          if (varintDone(v)) {
            remaining = varint;
            state = remaining == 0 ? State.OP : State.LITERAL_BYTES;
          }
        }
        case LZ4_RAW_LENGTH -> {
          int v = b[off++] & 0xff;
          position++;
          if (varintDone(v)) {
            rawLength = (int) checkLength(varint, "raw", DeltaFormat.MAX_LITERAL_LENGTH);
            startVarint(State.LZ4_STORED_LENGTH);
          }
        }
        case LZ4_STORED_LENGTH -> {
          int v = b[off++] & 0xff;
          position++;
          if (varintDone(v)) {
            storedLength = (int) checkLength(varint, "stored", rawLength - 1);
            if (stored.length < storedLength) {
              stored = new byte[Math.max(storedLength, Math.min(2 * stored.length, rawLength))];
            }
            storedFilled = 0;
            state = State.LZ4_BYTES;
          }
        }
        case LZ4_BYTES -> {
          int n = Math.min(end - off, storedLength - storedFilled);
          System.arraycopy(b, off, stored, storedFilled, n);
          storedFilled += n;
          off += n;
          position += n;
          if (storedFilled == storedLength) {
            emitLiteral();
            state = State.OP;
          }
        }
      }
    }
  }

  private void startVarint(State next) {
    state = next;
    varint = 0;
    varintShift = 0;
  }

  /** Adds one varint byte; true when it was the last. */
  private boolean varintDone(int v) throws CorruptDataException {
    if (varintShift > 56) {
      throw new CorruptDataException(
          "varint longer than " + Varint.MAX_BYTES + " bytes at offset " + position);
    }
    varint |= (long) (v & 0x7f) << varintShift;
    varintShift += 7;
    return (v & 0x80) == 0;
  }

  private long checkLength(long value, String what, int max) throws CorruptDataException {
    if (value < 1 || value > max) {
      throw new CorruptDataException(
          "LZ4 literal "
              + what
              + " length "
              + value
              + " at offset "
              + position
              + "; expected 1.."
              + max);
    }
    return value;
  }

  private void emitLiteral() throws IOException {
    if (raw.length < rawLength) {
      raw = new byte[Math.max(rawLength, Math.min(2 * raw.length, DeltaFormat.MAX_LITERAL_LENGTH))];
    }
    Lz4Blocks.decompress(stored, storedLength, raw, rawLength, position - storedLength);
    head[0] = DeltaFormat.OP_LITERAL;
    int n = 1 + Varint.write(rawLength, head, 1);
    out.write(head, 0, n);
    out.write(raw, 0, rawLength);
  }

  /**
   * A whole delta with its LZ4 literals made raw.
   *
   * @throws CorruptDataException if an LZ4 literal is out of range or does not decompress
   */
  public static byte[] of(byte[] delta) throws CorruptDataException {
    java.io.ByteArrayOutputStream result = new java.io.ByteArrayOutputStream(2 * delta.length + 64);
    try (RawLiteralOutput out = new RawLiteralOutput(result)) {
      out.write(delta, 0, delta.length);
    } catch (CorruptDataException e) {
      throw e;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
    return result.toByteArray();
  }
}
