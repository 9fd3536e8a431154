package io.vaultsync.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Helpers for the hostile-input tests: a builder of hand-made deltas and stream wrappers. */
final class HostileInputs {
  static final long TWO_31 = 1L << 31;
  static final long TWO_62_PLUS_1 = (1L << 62) + 1;
  static final long LONG_MAX = Long.MAX_VALUE;

  /** Most bytes a reader may allocate while rejecting a hostile header or length. */
  static final long ALLOCATION_BUDGET = 4L << 20;

  private HostileInputs() {}

  /** A reader of one format under test: a signature reader, or a patcher of a fixed basis. */
  @FunctionalInterface
  interface FormatReader {
    void read(InputStream in) throws IOException;
  }

  /** The seeds of the random-input tests (reference as {@code HostileInputs#seeds}). */
  static LongStream seeds() {
    return LongStream.rangeClosed(1, 200);
  }

  /** Up to 299 random bytes drawn from {@code r}. */
  static byte[] junk(Random r) {
    byte[] junk = new byte[r.nextInt(300)];
    r.nextBytes(junk);
    return junk;
  }

  /** The two ways every test reads its input: whole, and one byte per read. */
  static InputStream[] bothWays(byte[] bytes) {
    return new InputStream[] {new ByteArrayInputStream(bytes), new OneByteAtATime(bytes)};
  }

  /**
   * Asserts that {@code reader} rejects {@code bytes}, read whole and one byte at a time, with
   * exactly {@code type} and a message containing every one of {@code parts}, within the allocation
   * budget (see {@link #assertRejects}).
   */
  static void assertReaderRejects(
      FormatReader reader, byte[] bytes, Class<? extends FormatException> type, String... parts) {
    assertRejects(() -> reader.read(new ByteArrayInputStream(bytes)), type, parts);
    assertRejects(() -> reader.read(new OneByteAtATime(bytes)), type, parts);
  }

  /**
   * Asserts that {@code reader} rejects {@code bytes}, read whole and one byte at a time, with some
   * {@link FormatException} that has a message: never accepted, never another exception.
   */
  static void assertFormatExceptionOnly(FormatReader reader, byte[] bytes) {
    for (InputStream in : bothWays(bytes)) {
      try {
        reader.read(in);
        fail("accepted: " + HexFormat.of().formatHex(bytes));
      } catch (FormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      } catch (Throwable t) {
        fail("expected a FormatException, got " + t, t);
      }
    }
  }

  /** Builds a delta byte by byte; does not validate anything. */
  static final class DeltaBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts with the magic and version 1. */
    static DeltaBytes header() {
      return new DeltaBytes().bytes(DeltaFormat.MAGIC).raw(DeltaFormat.VERSION);
    }

    static DeltaBytes empty() {
      return new DeltaBytes();
    }

    DeltaBytes raw(int... values) {
      for (int v : values) {
        out.write(v);
      }
      return this;
    }

    DeltaBytes bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    /** Shortest-form unsigned LEB128. */
    DeltaBytes varint(long v) {
      byte[] b = new byte[Varint.MAX_BYTES];
      int n = Varint.write(v, b, 0);
      out.write(b, 0, n);
      return this;
    }

    DeltaBytes u64(long v) {
      for (int i = 0; i < 8; i++) {
        out.write((int) (v >>> (56 - 8 * i)));
      }
      return this;
    }

    DeltaBytes copy(long offset, long length) {
      return raw(DeltaFormat.OP_COPY).varint(offset).varint(length);
    }

    DeltaBytes literal(byte[] data) {
      return raw(DeltaFormat.OP_LITERAL).varint(data.length).bytes(data);
    }

    DeltaBytes lz4(long rawLength, long storedLength, byte[] block) {
      return raw(DeltaFormat.OP_LITERAL_LZ4).varint(rawLength).varint(storedLength).bytes(block);
    }

    /** END with the length and SHA-256 of {@code target}. */
    DeltaBytes end(byte[] target) {
      return end(target.length, ContentHash.digestOf(target));
    }

    DeltaBytes end(long length, ContentHash hash) {
      return raw(DeltaFormat.OP_END).u64(length).bytes(hash.toBytes());
    }

    int size() {
      return out.size();
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** Hands out one byte per read, like okio's one-byte source: short reads everywhere. */
  static final class OneByteAtATime extends ChunkedInputStream {
    OneByteAtATime(byte[] data) {
      super(data, 1);
    }
  }

  /** Bytes the current thread allocated so far (HotSpot's per-thread counter). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /**
   * Asserts that {@code call} throws exactly {@code type} with a message containing every one of
   * {@code parts}, and allocates less than {@link #ALLOCATION_BUDGET} doing so.
   */
  static void assertRejects(
      ThrowingCallable call, Class<? extends FormatException> type, String... parts) {
    long before = allocatedBytes();
    Throwable thrown = catchThrowable(call);
    long allocated = allocatedBytes() - before;
    assertThat(thrown).isExactlyInstanceOf(type).message().contains(parts);
    assertThat(allocated).as("bytes allocated while rejecting").isLessThan(ALLOCATION_BUDGET);
  }
}
