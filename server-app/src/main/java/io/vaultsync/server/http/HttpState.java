package io.vaultsync.server.http;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * What the HTTP endpoint remembers between requests: the browser sessions, the key of their CSRF
 * tokens, the key of share password grants, and the attempt limits. {@link #inMemory} keeps all of
 * it in this process (the embedded server); {@link #shared} builds it on what several processes
 * share (sessions and limits in their database, one key read from it), so a request may reach any
 * of them.
 *
 * @param sessions browser sessions after a token login
 * @param csrf the CSRF tokens of the owner's pages
 * @param shareGrants the cookies a typed share password sets
 * @param limits the limiters of sign-in and share password attempts
 */
public record HttpState(
    Sessions sessions, CsrfTokens csrf, ShareGrants shareGrants, AttemptLimits limits) {
  public HttpState {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(csrf, "csrf");
    Objects.requireNonNull(shareGrants, "shareGrants");
    Objects.requireNonNull(limits, "limits");
  }

  /** All in this process's memory, keys drawn now, time on {@code clock}: the embedded server. */
  public static HttpState inMemory(Clock clock) {
    SecureRandom random = new SecureRandom();
    return new HttpState(
        Sessions.inMemory(clock),
        new CsrfTokens(random),
        new ShareGrants(random, clock),
        AttemptLimits.inMemory(clock));
  }

  /**
   * State that several processes share: their common {@code sessions} and {@code limits}, and CSRF
   * tokens and share grants under keys derived from {@code key} (32 random bytes every process
   * reads the same, e.g. {@code ClusterDatabase.secret("http")}), so each process accepts what
   * another issued.
   *
   * @throws IllegalArgumentException if {@code key} is not 32 bytes long
   */
  public static HttpState shared(Sessions sessions, byte[] key, AttemptLimits limits, Clock clock) {
    byte[] checked = HmacSha256.checkedKey(key, "HTTP state");
    return new HttpState(
        sessions,
        new CsrfTokens(derive(checked, "vaultsync csrf tokens")),
        new ShareGrants(derive(checked, "vaultsync share grants"), clock),
        limits);
  }

  /** A key for one use only, so that no token of one kind is ever valid as another. */
  private static byte[] derive(byte[] key, String use) {
    return HmacSha256.of(key, use.getBytes(StandardCharsets.US_ASCII));
  }
}
