package io.vaultsync.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Browser sessions after a token login. A session id is 32 random bytes, base64url, like a device
 * token. Sessions expire {@link #LIFETIME} after login. {@link #inMemory} keeps them in this
 * process; a server of several processes (issue 14) keeps them where all of them see them.
 */
public interface Sessions {
  /** How long a login lasts. */
  Duration LIFETIME = Duration.ofHours(12);

  /** Most sessions kept at once. */
  int MAX_SESSIONS = 10_000;

  /** A logged-in device and when its login happened and ends. */
  record Session(String device, Instant tokenCreated, Instant created, Instant expires) {
    public Session {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(tokenCreated, "tokenCreated");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(expires, "expires");
    }
  }

  /**
   * Starts a session for {@code device} (whose token was created at {@code tokenCreated}, so a
   * revoked and re-created token does not revive it); returns the session id for the cookie.
   */
  String create(String device, Instant tokenCreated);

  /** The live session with this id, if any. */
  Optional<Session> find(String id);

  /** Ends every session {@code ended} accepts (e.g. those of a revoked token); returns how many. */
  int endIf(Predicate<Session> ended);

  /** Ends the session with this id (no effect if there is none). */
  void end(String id);

  /** Sessions in this process's memory, at most {@link #MAX_SESSIONS} (the oldest go first). */
  static Sessions inMemory(Clock clock) {
    return new MemorySessions(clock);
  }
}
