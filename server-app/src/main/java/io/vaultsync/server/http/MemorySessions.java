package io.vaultsync.server.http;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.auth.DeviceTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Sessions} in this process's memory (a restart signs everyone out, which is fine for a
 * self-hosted server). The map is keyed by the id's SHA-256 so a heap dump shows no usable id; at
 * most {@link #MAX_SESSIONS} live at once (the oldest go first). Thread-safe.
 */
final class MemorySessions implements Sessions {
  private final Map<String, Session> byHash = new ConcurrentHashMap<>();
  private final Clock clock;

  MemorySessions(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
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

  @Override
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

  @Override
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

  @Override
  public void end(String id) {
    if (id != null && id.length() <= DeviceTokens.MAX_TOKEN_CHARS) {
      byHash.remove(key(id));
    }
  }

  private static String key(String id) {
    return ContentHash.digestOf(id.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
