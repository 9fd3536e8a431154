package io.vaultsync.protocol.testkit;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Whole-file deltas in memory, both ways: what the in-memory reference and the contract suite's
 * clients compute (docs/FORMAT.md). Contents are held whole, so it suits notes, not large files.
 */
final class Deltas {
  private Deltas() {}

  /** Content patched from a delta, with the whole-file hash the patcher verified. */
  record Patched(byte[] content, ContentHash hash) {}

  /** Writes to {@code out} a delta from {@code basis} to {@code target}. */
  static void encode(byte[] basis, byte[] target, OutputStream out) throws IOException {
    Signature sig = SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length));
    DeltaEncoder e = new DeltaEncoder(sig, new DeltaWriter(out));
    e.update(target, 0, target.length);
    e.finish();
  }

  /** A delta from {@code basis} to {@code target}, as a client that kept the basis computes it. */
  static byte[] encode(byte[] basis, byte[] target) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(basis, target, out);
    return out.toByteArray();
  }

  /**
   * Applies {@code delta} to {@code basis} (null: nothing), checking the whole-file hash.
   *
   * @throws io.vaultsync.core.format.FormatException if the delta is corrupt
   */
  static Patched patch(byte[] basis, InputStream delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(basis == null ? new byte[0] : basis), out);
    DeltaReader.read(delta, patcher);
    return new Patched(out.toByteArray(), patcher.verifiedHash());
  }
}
