package io.vaultsync.server.s3;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.PackFormat;
import java.util.Objects;

/**
 * Where one object is: the pack holding it, the offset of its bytes in that pack (after its record
 * header) and their length. Objects are stored whole, so {@code length} is also the content's size.
 * Rows come from a database that may be damaged or hostile, so {@link #checked} bounds every value
 * before the store allocates or asks for a range.
 */
record IndexRow(ContentHash hash, String pack, long offset, long length) {
  /** The largest object the store keeps (as {@link PackFormat} allows for a record). */
  static final long MAX_LENGTH = 1L << 40;

  IndexRow {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(pack, "pack");
  }

  /**
   * A row read from the database, checked: an offset past a pack header and a record header, a
   * length from 0 to {@link #MAX_LENGTH}.
   *
   * @throws CorruptDataException naming the row when a value is out of bounds
   */
  static IndexRow checked(ContentHash hash, String pack, long offset, long length, long size)
      throws CorruptDataException {
    if (pack == null
        || pack.isEmpty()
        || offset < PackFormat.HEADER
        || offset > Long.MAX_VALUE - MAX_LENGTH
        || length < 0
        || length > MAX_LENGTH
        || size != length) {
      throw new CorruptDataException(
          "index row of "
              + hash.hex()
              + " says pack "
              + pack
              + ", offset "
              + offset
              + ", length "
              + length
              + ", size "
              + size
              + "; expected an offset >= "
              + PackFormat.HEADER
              + " and a length from 0 to "
              + MAX_LENGTH
              + " equal to the size");
    }
    return new IndexRow(hash, pack, offset, length);
  }
}
