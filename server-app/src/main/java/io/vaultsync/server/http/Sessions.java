package io.vaultsync.server.http;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.auth.DeviceTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions after a token login, in memory (a restart signs everyone out, which is fine for
 * a self-hosted server). A session id is 32 random bytes, base64url, like a device token; the map
 * is keyed by its SHA-256 so a heap dump shows no usable id. Sessions expire {@link #LIFETIME}
 * after login; at most {@link #MAX_SESSIONS} live at once (the oldest go first). Thread-safe.
 */
public final class Sessions {
  /** How long a login lasts. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  /** Most sessions kept at once. */
  public static final int MAX_SESSIONS = 10_000;

  /** A logged-in device and when its login happened and ends. */
  public record Session(String device, Instant tokenCreated, Instant created, Instant expires) {
    public Session {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(tokenCreated, "tokenCreated");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(expires, "expires");
    }
  }

  private final Map<String, Session> byHash = new ConcurrentHashMap<>();
  private final Clock clock;

  public Sessions(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Starts a session for {@code device} (whose token was created at {@code tokenCreated}, so a
   * revoked and re-created token does not revive it); returns the session id for the cookie.
   */
  public String create(String device, Instant tokenCreated) {
    Instant now = clock.instant();
    if (byHash.size() >= MAX_SESSIONS) {
      byHash.entrySet().removeIf(e -> !e.getValue().expires().isAfter(now));
      while (byHash.size() >= MAX_SESSIONS) {
        byHash.entrySet().stream()
            .min(Comparator.comparing(e -> e.getValue().created()))
            .ifPresent(e -> byHash.remove(e.getKey()));
      }
    }
    String id = DeviceTokens.newToken();
    byHash.put(key(id), new Session(device, tokenCreated, now, now.plus(LIFETIME)));
    return id;
  }

  /** The live session with this id, if any. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > DeviceTokens.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    String k = key(id);
    Session s = byHash.get(k);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expires().isAfter(clock.instant())) {
      byHash.remove(k);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Ends every session {@code ended} accepts (e.g. those of a revoked token); returns how many. */
  public int endIf(java.util.function.Predicate<Session> ended) {
    int[] n = {0};
    byHash
        .values()
        .removeIf(
            s -> {
              boolean end = ended.test(s);
              n[0] += end ? 1 : 0;
              return end;
            });
    return n[0];
  }

  /** Ends the session with this id (no effect if there is none). */
  public void end(String id) {
    if (id != null && id.length() <= DeviceTokens.MAX_TOKEN_CHARS) {
      byHash.remove(key(id));
    }
  }

  private static String key(String id) {
    return ContentHash.digestOf(id.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
