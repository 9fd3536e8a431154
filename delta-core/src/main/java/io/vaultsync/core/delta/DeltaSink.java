package io.vaultsync.core.delta;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;

/**
 * Receives the operations of a delta in target order: the encoder pushes into one, the reader
 * pushes parsed operations into one, the writer and the patcher are ones.
 *
 * <p>A literal's array is only valid during the call; a sink that keeps the bytes copies them.
 */
public interface DeltaSink {
  /** The next {@code length} target bytes equal the basis bytes at {@code offset}. */
  void copy(long offset, long length) throws IOException;

  /** The next {@code length} target bytes are {@code data[offset..offset+length)}. */
  void literal(byte[] data, int offset, int length) throws IOException;

  /** The target ended: it has {@code targetLength} bytes and SHA-256 {@code targetHash}. */
  void end(long targetLength, ContentHash targetHash) throws IOException;
}
