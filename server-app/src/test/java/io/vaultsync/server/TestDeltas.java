package io.vaultsync.server;

import io.vaultsync.core.Deltas;
import java.io.IOException;

/**
 * Deltas and patches in memory, as a client makes and reads them, for the server's tests: one call
 * where each test used to spell out the signature, the encoder and the streams.
 */
public final class TestDeltas {
  private TestDeltas() {}

  /** The delta that makes {@code target} from {@code basis}. */
  public static byte[] delta(byte[] basis, byte[] target) {
    return Deltas.delta(basis, target);
  }

  /**
   * The delta that makes {@code target} from nothing (a new file's): all literal, so it also makes
   * {@code target} over any basis.
   */
  public static byte[] delta(byte[] target) {
    return delta(new byte[0], target);
  }

  /** What {@code delta} makes of {@code basis}, its hash checked. */
  public static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    return Deltas.patch(basis, delta);
  }
}
