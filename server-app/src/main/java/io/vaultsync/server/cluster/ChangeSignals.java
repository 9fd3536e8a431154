package io.vaultsync.server.cluster;

import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;

/**
 * Tells the other server processes that a vault's ledger moved, so that their change feeds read it
 * at once (PostgreSQL's LISTEN/NOTIFY). A hint only: the ledger is the truth, a signal may be lost
 * (a dropped connection), so a feed also reads the ledger of each vault it serves every {@link
 * #POLL} or so. Thread-safe.
 */
public interface ChangeSignals extends AutoCloseable {
  /** How often a feed reads the ledger when no signal came. */
  java.time.Duration POLL = java.time.Duration.ofSeconds(1);

  /** Announces that {@code vault}'s head is now {@code seq} (after the ledger commit). */
  void committed(VaultName vault, long seq) throws IOException;

  /** Hears the announcements of every process, this one's included. */
  void listen(Listener listener);

  /** A signal heard. */
  @FunctionalInterface
  interface Listener {
    void committed(VaultName vault, long seq);
  }

  @Override
  void close() throws IOException;

  /** One server process alone: its feed hears its own commits directly; nothing to announce. */
  static ChangeSignals none() {
    return NONE;
  }

  /** See {@link #none()}. */
  ChangeSignals NONE =
      new ChangeSignals() {
        @Override
        public void committed(VaultName vault, long seq) {}

        @Override
        public void listen(Listener listener) {}

        @Override
        public void close() {}
      };
}
