package io.vaultsync.transport.grpc;

import io.vaultsync.core.Deltas;
import java.io.IOException;
import java.util.Random;

/** Deltas and seeded content for the tests. */
final class TestDeltas {
  private TestDeltas() {}

  /** A delta that makes {@code target} from {@code basis} (empty array: from nothing). */
  static byte[] delta(byte[] basis, byte[] target) {
    return Deltas.delta(basis, target);
  }

  static byte[] delta(byte[] target) {
    return delta(new byte[0], target);
  }

  /** Applies {@code delta} to {@code basis}, checking the target hash. */
  static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    return Deltas.patch(basis, delta);
  }

  /** Incompressible bytes from {@code seed}. */
  static byte[] random(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }
}
