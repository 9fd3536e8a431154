/**
 * The vaultsync delta engine: rolling checksums, signatures, deltas and patches in the format of
 * docs/FORMAT.md, SHA-256 content hashes and atomic file writes. No network, no logging, no threads
 * of its own.
 *
 * <p>The exported packages are the API. {@code io.vaultsync.core.internal} (the rolling sum and the
 * block strong sum) is not exported: an app on the module path cannot reach it, and it may change
 * in any release. Start at {@link io.vaultsync.core.Deltas}.
 */
module io.vaultsync.delta {
  requires hash4j;
  requires org.lz4.java;

  exports io.vaultsync.core;
  exports io.vaultsync.core.delta;
  exports io.vaultsync.core.format;
  exports io.vaultsync.core.hash;
  exports io.vaultsync.core.io;
  exports io.vaultsync.core.signature;
}
