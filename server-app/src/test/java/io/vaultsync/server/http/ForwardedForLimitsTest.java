package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: behind a trusted reverse proxy (here 127.0.0.1) the sign-in and share password limits
 * count the client the proxy names in {@code X-Forwarded-For}, so clients behind one proxy do not
 * share one budget; a peer that is not a trusted proxy (127.0.0.3) cannot escape its budget by
 * sending the header; an unreadable header from the proxy counts under the proxy's address and
 * never fails the request.
 */
@Timeout(120)
class ForwardedForLimitsTest {
  @TempDir Path dir;

  private static final InetAddress PROXY = address("127.0.0.1");
  private static final InetAddress STRANGER = address("127.0.0.3");

  private static InetAddress address(String text) {
    return ClientAddress.parse(text);
  }

  private HttpTestServer start() throws IOException {
    return HttpTestServer.start(
        dir,
        HttpEndpoint.defaultRoutes(),
        HttpState.inMemory(Clock.systemUTC()),
        ClientAddress.behind(List.of(PROXY)));
  }

  /** A failed sign-in from {@code from} with the extra header lines {@code headers}: its status. */
  private static int signIn(HttpTestServer s, InetAddress from, String headers) throws IOException {
    return RawHttp.status(
        RawHttp.postForm(s.endpoint.port(), from, "/login", headers, "token=not-a-token"));
  }

  private static String forwardedFor(String value) {
    return "X-Forwarded-For: " + value + "\r\n";
  }

  /** Makes as many failed sign-ins as one address may, each answered 401. */
  private static void spendSignInBudget(HttpTestServer s, InetAddress from, List<String> headers)
      throws IOException {
    for (int i = 0; i < LoginRoutes.ATTEMPTS_PER_ADDRESS; i++) {
      String header = headers.get(i % headers.size());
      assertThat(signIn(s, from, header)).as(header).isEqualTo(401);
    }
  }

  @Test
  void twoClientsForwardedByATrustedProxyGetSeparateSignInBudgets() throws Exception {
    try (HttpTestServer s = start()) {
      spendSignInBudget(s, PROXY, List.of(forwardedFor("203.0.113.1")));
      assertThat(signIn(s, PROXY, forwardedFor("203.0.113.1"))).isEqualTo(429);
      // Another client behind the same proxy, and the proxy itself, still have their budgets.
      assertThat(signIn(s, PROXY, forwardedFor("198.51.100.1, 203.0.113.2"))).isEqualTo(401);
      assertThat(signIn(s, PROXY, "")).isEqualTo(401);
      // What the client wrote left of the proxy's entry does not give it a new budget.
      assertThat(signIn(s, PROXY, forwardedFor("198.51.100.1, 203.0.113.1"))).isEqualTo(429);
    }
  }

  @Test
  void anUntrustedPeerCannotResetItsBudgetWithForwardedFor() throws Exception {
    try (HttpTestServer s = start()) {
      List<String> spoofed = new ArrayList<>();
      for (int i = 0; i < LoginRoutes.ATTEMPTS_PER_ADDRESS; i++) {
        spoofed.add(forwardedFor("203.0.113." + (10 + i)));
      }
      spendSignInBudget(s, STRANGER, spoofed);
      assertThat(signIn(s, STRANGER, forwardedFor("203.0.113.99"))).isEqualTo(429);
      assertThat(signIn(s, STRANGER, "")).isEqualTo(429);
      // The forwarded addresses it sent were not charged.
      assertThat(signIn(s, PROXY, forwardedFor("203.0.113.10"))).isEqualTo(401);
    }
  }

  @Test
  void anUnreadableHeaderFromTheProxyCountsUnderTheProxysAddress() throws Exception {
    try (HttpTestServer s = start()) {
      spendSignInBudget(
          s,
          PROXY,
          List.of("nonsense", "203.0.113.1, unknown", "", "[::1", "203.0.113.1:99999").stream()
              .map(ForwardedForLimitsTest::forwardedFor)
              .toList());
      assertThat(signIn(s, PROXY, "")).isEqualTo(429);
      assertThat(signIn(s, PROXY, forwardedFor("203.0.113.1"))).isEqualTo(401);
    }
  }

  @Test
  void sharePasswordAttemptsAreCountedPerForwardedClient() throws Exception {
    try (HttpTestServer s = start()) {
      String path = s.passwordShare("Recipe.md", "# Pancakes\n", "correct horse");
      int port = s.endpoint.port();
      for (int i = 0; i < ShareRoutes.ATTEMPTS_PER_ADDRESS; i++) {
        String r = RawHttp.postForm(port, PROXY, path, forwardedFor("203.0.113.1"), "password=x");
        assertThat(RawHttp.status(r)).isEqualTo(401);
      }
      String limited =
          RawHttp.postForm(
              port, PROXY, path, forwardedFor("203.0.113.1"), "password=correct+horse");
      assertThat(RawHttp.status(limited)).isEqualTo(429);
      String other =
          RawHttp.postForm(
              port, PROXY, path, forwardedFor("203.0.113.2"), "password=correct+horse");
      assertThat(RawHttp.status(other)).isEqualTo(303);
    }
  }
}
