package io.vaultsync.protocol.testkit;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Whole-file deltas in memory, both ways, over delta-core's {@link io.vaultsync.core.Deltas}: what
 * the in-memory reference and the contract suite's clients compute (docs/FORMAT.md). Contents are
 * held whole, so it suits notes, not large files.
 */
final class Deltas {
  private Deltas() {}

  /** Content patched from a delta, with the whole-file hash the patcher verified. */
  record Patched(byte[] content, ContentHash hash) {}

  /** A delta from {@code basis} to {@code target}, as a client that kept the basis computes it. */
  static byte[] encode(byte[] basis, byte[] target) {
    return io.vaultsync.core.Deltas.delta(basis, target);
  }

  /**
   * Applies {@code delta} to {@code basis} (null: nothing), checking the whole-file hash.
   *
   * @throws io.vaultsync.core.format.FormatException if the delta is corrupt
   */
  static Patched patch(byte[] basis, InputStream delta) throws IOException {
    return patch(basis, delta, Long.MAX_VALUE);
  }

  /**
   * As {@link #patch(byte[], InputStream)}, refusing a target longer than {@code maxBytes}.
   *
   * @throws io.vaultsync.core.delta.TargetTooLargeException if the target would be longer
   */
  static Patched patch(byte[] basis, InputStream delta, long maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentHash hash =
        io.vaultsync.core.Deltas.patch(
            Basis.of(basis == null ? new byte[0] : basis), delta, out, null, maxBytes);
    return new Patched(out.toByteArray(), hash);
  }
}
