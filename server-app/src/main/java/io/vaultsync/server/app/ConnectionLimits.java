package io.vaultsync.server.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gRPC endpoint treats connections (HTTP/2) and revoked tokens.
 *
 * @param maxConnectionIdle a connection with no call in progress for this long is closed (GOAWAY; a
 *     client reconnects on its next call). An open Subscribe is a call, so watchers stay. Before
 *     issue 12 idle connections were never closed: 1,000 stayed open indefinitely.
 * @param keepAliveTime the server pings a connection silent for this long, to find peers that are
 *     gone (a laptop that slept, a dropped NAT mapping) and free their calls
 * @param keepAliveTimeout a ping unanswered this long closes the connection
 * @param permitKeepAliveTime clients may ping this often (with or without calls); more often is
 *     answered with GOAWAY "too many pings". gRPC's default (5 minutes) would refuse any client
 *     keepalive shorter than that.
 * @param revocationCheck how often the token store is asked whether the tokens of open calls are
 *     still valid ({@link io.vaultsync.server.auth.RevocationWatch})
 */
public record ConnectionLimits(
    Duration maxConnectionIdle,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration permitKeepAliveTime,
    Duration revocationCheck) {
  /**
   * 5 minutes idle, ping after 1 minute of silence, 20 s to answer, clients may ping every 20 s.
   */
  public static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(
          Duration.ofMinutes(5),
          Duration.ofMinutes(1),
          Duration.ofSeconds(20),
          Duration.ofSeconds(20),
          io.vaultsync.server.auth.RevocationWatch.EVERY);

  public ConnectionLimits {
    for (Duration d :
        new Duration[] {
          maxConnectionIdle, keepAliveTime, keepAliveTimeout, permitKeepAliveTime, revocationCheck
        }) {
      Objects.requireNonNull(d, "duration");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("connection limit " + d + "; expected > 0");
      }
    }
  }
}
