package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.nio.channels.FileChannel;

/**
 * Where a stored object lives: its stored bytes in an open pack; {@code base} null for a whole
 * object, else it is a delta against {@code base} that rebuilds {@code fullLength} bytes.
 */
record ObjectLocation(
    FileChannel channel, long offset, long length, ContentHash base, long fullLength, String pack) {
  static ObjectLocation of(FileChannel ch, PackIndexFormat.Entry e, String pack) {
    return new ObjectLocation(ch, e.offset(), e.length(), e.base(), e.fullLength(), pack);
  }
}
