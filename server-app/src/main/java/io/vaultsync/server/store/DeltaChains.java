package io.vaultsync.server.store;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads objects stored as deltas: follows the chain of bases down to a whole object, then patches
 * back up, checking every step's SHA-256 (the delta's END hash, and that it is the hash the object
 * is stored under). Chains are at most {@link #MAX_DEPTH} deltas long and only objects of at most
 * {@link #MAX_OBJECT} bytes take part (both the delta and its base), so a read holds at most two
 * such objects in memory; a longer chain or a larger object in an index is corrupt data.
 */
final class DeltaChains {
  /** Most deltas between an object and the whole object its chain ends in. */
  static final int MAX_DEPTH = 8;

  /** Largest object stored as a delta or used as a base: notes are far smaller. */
  static final long MAX_OBJECT = 16L << 20;

  private DeltaChains() {}

  /** The full content of {@code hash}, verified. */
  static byte[] materialize(Function<ContentHash, ObjectLocation> locate, ContentHash hash)
      throws IOException {
    List<ContentHash> hashes = new ArrayList<>();
    List<ObjectLocation> chain = new ArrayList<>();
    ContentHash h = hash;
    while (true) {
      ObjectLocation l = locate.apply(h);
      if (l == null) {
        throw new MissingContentException(
            h,
            h.equals(hash)
                ? "content " + hash.hex() + " is not stored"
                : "delta base " + h.hex() + " of " + hash.hex() + " is not stored");
      }
      if (l.fullLength() > MAX_OBJECT) {
        throw new CorruptDataException(
            "object "
                + h.hex()
                + " of "
                + l.fullLength()
                + " bytes in a delta chain; at most "
                + MAX_OBJECT
                + " take part");
      }
      hashes.add(h);
      chain.add(l);
      if (l.base() == null) {
        break;
      }
      if (chain.size() > MAX_DEPTH) {
        throw new CorruptDataException(
            "delta chain of " + hash.hex() + " longer than " + MAX_DEPTH + " (or a cycle)");
      }
      h = l.base();
    }
    int last = chain.size() - 1;
    ObjectLocation bottom = chain.get(last);
    byte[] data;
    try (InputStream in =
        new RegionObject(hashes.get(last), bottom.channel(), bottom.offset(), bottom.length())
            .stream()) {
      data = in.readNBytes((int) bottom.length());
    }
    if (last == 0 && !ContentHash.digestOf(data).equals(hash)) {
      throw new CorruptDataException("stored bytes of " + hash.hex() + " hash differently");
    }
    for (int i = last - 1; i >= 0; i--) {
      ObjectLocation l = chain.get(i);
      data = patch(data, l, hashes.get(i));
    }
    return data;
  }

  private static byte[] patch(byte[] base, ObjectLocation l, ContentHash expected)
      throws IOException {
    BoundedBuffer out = new BoundedBuffer((int) l.fullLength());
    ContentHash verified;
    try (InputStream delta =
        new RegionObject(expected, l.channel(), l.offset(), l.length()).stream()) {
      verified = Deltas.patch(Basis.of(base), delta, out);
    }
    if (!verified.equals(expected) || out.size() != l.fullLength()) {
      throw new CorruptDataException(
          "delta of "
              + expected.hex()
              + " patched into "
              + out.size()
              + " bytes hashing to "
              + verified.hex()
              + "; expected "
              + l.fullLength());
    }
    return out.toByteArray();
  }

  /** An output buffer that refuses to grow past the length the index declared. */
  private static final class BoundedBuffer extends OutputStream {
    private final ByteArrayOutputStream buf;
    private final int limit;

    BoundedBuffer(int limit) {
      this.limit = limit;
      this.buf = new ByteArrayOutputStream(limit);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > limit - buf.size()) {
        throw new CorruptDataException(
            "delta writes more than the " + limit + " bytes its index entry declares");
      }
      buf.write(b, off, len);
    }

    int size() {
      return buf.size();
    }

    byte[] toByteArray() {
      return buf.toByteArray();
    }
  }
}
