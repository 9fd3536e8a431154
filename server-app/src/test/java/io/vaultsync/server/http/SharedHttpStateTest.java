package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the HTTP endpoint keeps its state where it is given ({@link HttpState}), so two
 * endpoints built on the same sessions, key and attempt limits (two processes of one server behind
 * a load balancer) act as one: a session, its CSRF token and a share password grant made through
 * one are accepted by the other, and the attempt limits count the attempts made on both.
 */
@Timeout(120)
class SharedHttpStateTest {
  @TempDir Path dir;

  /** The key every "process" reads from the shared database. */
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 7 + 3);
    }
  }

  private final Clock clock = Clock.systemUTC();

  /**
   * Attempt limits with one limiter per name, whoever asks for it, as a table in a database that
   * several processes share would be; remembers the names asked for.
   */
  static final class SharedLimits implements AttemptLimits {
    final Map<String, AttemptLimiter> byName = new ConcurrentHashMap<>();
    final List<String> asked = new ArrayList<>();
    private final Clock clock;

    SharedLimits(Clock clock) {
      this.clock = clock;
    }

    @Override
    public synchronized AttemptLimiter limiter(String name, int max, Duration window) {
      asked.add(name);
      return byName.computeIfAbsent(name, n -> AttemptLimiter.inMemory(max, window, clock));
    }
  }

  private final Sessions sessions = Sessions.inMemory(clock);
  private final SharedLimits limits = new SharedLimits(clock);
  private HttpTestServer one;
  private HttpTestServer two;

  /** Two endpoints, "processes", on one data folder and one shared state. */
  @BeforeEach
  void startTwoProcesses() throws IOException {
    one =
        HttpTestServer.start(
            dir, HttpEndpoint.defaultRoutes(), sharedState(), ClientAddress.direct());
    two = one.another(HttpEndpoint.defaultRoutes(), sharedState());
  }

  @AfterEach
  void stop() throws IOException {
    try {
      if (two != null) {
        two.close();
      }
    } finally {
      if (one != null) {
        one.close(); // with the data folder
      }
    }
  }

  /** The state a process builds from the shared database (sessions, key, limits). */
  private HttpState sharedState() {
    return HttpState.shared(sessions, KEY, limits, clock);
  }

  private static String sessionId(String cookie) {
    return cookie.substring(cookie.indexOf('=') + 1);
  }

  @Test
  void aSessionAndItsCsrfTokenFromOneEndpointAreAcceptedByAnotherOnTheSameState() throws Exception {
    try (HttpTestServer alone =
        one.another(HttpEndpoint.defaultRoutes(), HttpState.inMemory(clock))) {
      String cookie = one.login();
      assertThat(two.send(two.request("/").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(200);
      // An endpoint with state of its own knows nothing of the session.
      assertThat(alone.send(alone.request("/").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(303);

      String csrf = one.services.auth().csrf().tokenFor(sessionId(cookie));
      assertThat(two.services.auth().csrf()).isNotSameAs(one.services.auth().csrf());
      HttpResponse<String> logout = two.postForm("/logout", cookie, CsrfTokens.FIELD, csrf);
      assertThat(logout.statusCode()).isEqualTo(303);
      assertThat(logout.headers().firstValue("Location")).contains("/login");
      // Signed out on one process, signed out on all.
      assertThat(one.send(one.request("/").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(303);
    }
  }

  @Test
  void aLimiterSharedByTwoEndpointsCountsTheSignInAttemptsMadeOnBoth() throws Exception {
    for (int i = 0; i < LoginRoutes.ATTEMPTS_PER_ADDRESS; i++) {
      HttpTestServer via = i % 2 == 0 ? one : two;
      assertThat(via.postForm("/login", null, "token", "guess-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(one.postForm("/login", null, "token", one.token).statusCode()).isEqualTo(429);
    assertThat(two.postForm("/login", null, "token", two.token).statusCode()).isEqualTo(429);
    // Each endpoint asked for each limiter once, by a name of its own.
    assertThat(limits.asked)
        .containsOnly(
            LoginRoutes.LIMIT_PER_ADDRESS,
            LoginRoutes.LIMIT_IN_ALL,
            ShareRoutes.LIMIT_PER_ADDRESS,
            ShareRoutes.LIMIT_PER_SHARE);
    assertThat(limits.byName).hasSize(4);
    assertThat(limits.asked).hasSize(8);
  }

  @Test
  void aSharePasswordTypedOnOneEndpointOpensTheShareOnAnother() throws Exception {
    String path = one.passwordShare("Recipe.md", "# Pancakes\n", "correct horse");
    HttpResponse<String> typed = one.postForm(path, null, "password", "correct horse");
    assertThat(typed.statusCode()).isEqualTo(303);
    String setCookie = typed.headers().firstValue("Set-Cookie").orElseThrow();
    String grant = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> opened = two.send(two.request(path).header("Cookie", grant).build());
    assertThat(opened.statusCode()).isEqualTo(200);
    assertThat(opened.body()).contains("Pancakes");

    // The password attempts of both endpoints count against one budget per address.
    for (int i = 1; i < ShareRoutes.ATTEMPTS_PER_ADDRESS; i++) {
      HttpTestServer via = i % 2 == 0 ? one : two;
      assertThat(via.postForm(path, null, "password", "guess" + i).statusCode()).isEqualTo(401);
    }
    assertThat(two.postForm(path, null, "password", "correct horse").statusCode()).isEqualTo(429);
  }
}
