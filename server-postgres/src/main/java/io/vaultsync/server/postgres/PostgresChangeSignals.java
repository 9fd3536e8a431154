package io.vaultsync.server.postgres;

import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeSignals} over PostgreSQL's LISTEN/NOTIFY on channel {@value #CHANNEL}: {@link
 * #committed} sends {@code pg_notify('vaultsync_changes', 'VAULT SEQ')}; one daemon thread per
 * process keeps a connection of its own listening and hands each signal, this process's included,
 * to every listener. When that connection drops, it connects again after a pause that doubles up to
 * {@link #MAX_RECONNECT_PAUSE_MS}; signals sent meanwhile are lost, which is why a feed also reads
 * the ledger every {@link ChangeSignals#POLL}. A payload that is not a vault and a seq (sent by
 * something else on the channel) is logged and skipped. Thread-safe.
 */
final class PostgresChangeSignals implements ChangeSignals {
  /** The NOTIFY channel. */
  static final String CHANNEL = "vaultsync_changes";

  /** How long one wait for notifications lasts, so that {@link #close} is noticed. */
  static final int WAIT_MS = 250;

  static final long MAX_RECONNECT_PAUSE_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(PostgresChangeSignals.class);

  private final DataSource pool;
  private final DataSource direct;
  private final String where;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean listening;

  /**
   * @param pool where signals are sent from
   * @param direct single connections, for the listening one (not from a pool: it lives long)
   */
  PostgresChangeSignals(DataSource pool, DataSource direct, String where) {
    this.pool = pool;
    this.direct = direct;
    this.where = where;
    this.thread = new Thread(this::listenLoop, "vaultsync-postgres-signals");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void committed(VaultName vault, long seq) throws IOException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANNEL);
      ps.setString(2, vault.value() + " " + seq);
      ps.execute();
    } catch (SQLException e) {
      throw PostgresErrors.failed(where, e);
    }
  }

  @Override
  public void listen(Listener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** Whether the listening connection is up (signals sent from now on are heard). */
  boolean listening() {
    return listening;
  }

  private void listenLoop() {
    long pause = 100;
    while (!closed) {
      try (Connection c = direct.getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        pause = 100;
        while (!closed) {
          PGNotification[] signals = pg.getNotifications(WAIT_MS);
          if (signals != null) {
            for (PGNotification n : signals) {
              deliver(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (closed) {
          break;
        }
        log.warn(
            "change signals from database {}: {}; listening again in {} ms",
            where,
            PostgresErrors.firstLine(e),
            pause);
        try {
          TimeUnit.MILLISECONDS.sleep(pause);
        } catch (InterruptedException ie) {
          break;
        }
        pause = Math.min(MAX_RECONNECT_PAUSE_MS, pause * 2);
      } finally {
        listening = false;
      }
    }
  }

  private void deliver(String payload) {
    int space = payload == null ? -1 : payload.lastIndexOf(' ');
    VaultName vault;
    long seq;
    try {
      if (space < 1) {
        throw new IllegalArgumentException("no space between vault and seq");
      }
      vault = VaultName.of(payload.substring(0, space));
      seq = Long.parseLong(payload.substring(space + 1));
    } catch (IllegalArgumentException e) {
      String shown =
          payload == null
              ? "null"
              : payload.length() > 100 ? payload.substring(0, 100) + "…" : payload;
      log.warn(
          "ignoring signal \"{}\" on channel {} of database {}: expected \"VAULT SEQ\" ({})",
          shown,
          CHANNEL,
          where,
          e.getMessage());
      return;
    }
    for (Listener l : listeners) {
      try {
        l.committed(vault, seq);
      } catch (RuntimeException e) {
        log.warn("a change listener failed on vault {} seq {}", vault, seq, e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
