package io.vaultsync.transport.grpc;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Deltas and seeded content for the tests. */
final class TestDeltas {
  private TestDeltas() {}

  /** A delta that makes {@code target} from {@code basis} (empty array: from nothing). */
  static byte[] delta(byte[] basis, byte[] target) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Deltas.delta(
          SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length)),
          new ByteArrayInputStream(target),
          out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] delta(byte[] target) {
    return delta(new byte[0], target);
  }

  /** Applies {@code delta} to {@code basis}, checking the target hash. */
  static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deltas.patch(Basis.of(basis), new ByteArrayInputStream(delta), out);
    return out.toByteArray();
  }

  /** Incompressible bytes from {@code seed}. */
  static byte[] random(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }
}
