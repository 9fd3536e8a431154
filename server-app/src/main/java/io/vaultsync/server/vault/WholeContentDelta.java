package io.vaultsync.server.vault;

import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.server.store.StoredObject;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A fetch against nothing (a clone, a new file, a base the store lacks): the stored content as
 * LITERALs and its hash, written straight through a {@link DeltaWriter} (issue 16). The general
 * path ({@code Deltas.delta} against an empty signature) gives the same bytes but rolls a checksum
 * over every byte looking for blocks that cannot exist, hashes the content a second time (the store
 * verified it when it opened it) and allocated a 256 KiB buffer per file: half of a 50,000-note
 * clone's server CPU.
 */
final class WholeContentDelta {
  private static final int BUFFER = 64 * 1024;

  private WholeContentDelta() {}

  /** Writes the delta from nothing to {@code content} (verified by the store) into {@code out}. */
  static void write(StoredObject content, OutputStream out) throws IOException {
    DeltaWriter writer = new DeltaWriter(out);
    long size = content.size();
    byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, size))];
    long done = 0;
    try (InputStream in = content.stream()) {
      for (int n;
          done < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - done))) > 0; ) {
        writer.literal(buf, 0, n);
        done += n;
      }
    }
    if (done != size) {
      throw new EOFException(
          "content " + content.hash().hex() + " ended after " + done + " of " + size + " bytes");
    }
    writer.end(size, content.hash());
  }
}
