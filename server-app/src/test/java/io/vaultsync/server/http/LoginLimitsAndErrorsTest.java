package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 11 (and the HTTP half of item 10): sign-in attempts are limited per client address
 * and in all (429 with Retry-After); a 4xx body is a short sentence of ours, never a Java
 * exception's text (a malformed percent-encoding gave "URLDecoder: Illegal hex characters ...");
 * the sessions of a revoked token are ended by the revocation check.
 */
@Timeout(120)
class LoginLimitsAndErrorsTest {
  @TempDir Path dir;

  private HttpTestServer start() throws IOException {
    return HttpTestServer.start(dir, HttpEndpoint.defaultRoutes());
  }

  /** One HTTP/1.1 request from the given local address; returns the status line and body. */
  private static String rawRequest(int port, InetAddress from, String request) throws IOException {
    return RawHttp.exchange(port, from, request);
  }

  /** A sign-in with a token that is not one, from {@code from}. */
  private static String loginFrom(int port, InetAddress from) throws IOException {
    return postLogin(port, from, "token=not-a-token");
  }

  /** POST /login with the form {@code body}, from {@code from}. */
  private static String postLogin(int port, InetAddress from, String body) throws IOException {
    return RawHttp.postForm(port, from, "/login", "", body);
  }

  @Test
  void signInAttemptsBeyondTheLimitPerAddressGet429WithRetryAfter() throws Exception {
    try (HttpTestServer s = start()) {
      for (int i = 0; i < LoginRoutes.ATTEMPTS_PER_ADDRESS; i++) {
        assertThat(s.postForm("/login", null, "token", "guess-" + i).statusCode()).isEqualTo(401);
      }
      HttpResponse<String> refused = s.postForm("/login", null, "token", s.token);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
      assertThat(refused.body()).startsWith("too many sign-in attempts; retry in ");
      assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  /**
   * The limit in all: ten addresses of 127/8 make ten attempts each (each within its own limit);
   * the next attempt, from yet another address, is refused.
   */
  @Test
  void signInAttemptsBeyondTheLimitInAllGet429FromAnyAddress() throws Exception {
    try (HttpTestServer s = start()) {
      int port = s.endpoint.port();
      int per = LoginRoutes.ATTEMPTS_PER_ADDRESS;
      int addresses = LoginRoutes.ATTEMPTS_IN_ALL / per;
      for (int a = 0; a < addresses; a++) {
        InetAddress from = InetAddress.getByName("127.0.0." + (2 + a));
        for (int i = 0; i < per; i++) {
          assertThat(loginFrom(port, from)).startsWith("HTTP/1.1 401");
        }
      }
      String refused = loginFrom(port, InetAddress.getByName("127.0.0." + (2 + addresses)));
      assertThat(refused).startsWith("HTTP/1.1 429").contains("Retry-After: ");
      assertThat(refused).contains("too many sign-in attempts");
    }
  }

  /** Pins issue 12 item 11: "URLDecoder: Illegal hex characters ..." in a 400 body. */
  @Test
  void malformedPercentEncodingGetsA400InOurWordsWithNoJavaExceptionText() throws Exception {
    try (HttpTestServer s = start()) {
      s.data.vaults().createVault("notes");
      String cookie = s.login();
      int port = s.endpoint.port();
      InetAddress local = InetAddress.getByName("127.0.0.1");
      List<String> targets =
          List.of(
              "/v/notes/file?path=%zz",
              "/v/notes/file?path=a%2",
              "/v/notes/raw?path=%",
              "/v/notes/?dir=%g0",
              "/api/vaults/notes/zip?path=%zz",
              "/v/notes/file?path=ok.md&seq=%zz",
              "/v/notes/shares/new?path=%zz");
      String unicodeEscape =
          rawRequest(
              port,
              local,
              "GET /v/a%u0041/ HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nCookie: "
                  + cookie
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(unicodeEscape).startsWith("HTTP/1.1 400");
      assertThat(body(unicodeEscape)).startsWith("malformed percent-encoding in the path");
      assertNoJavaText("/v/a%u0041/", body(unicodeEscape));
      for (String target : targets) {
        for (String credential : List.of("Authorization: Bearer " + s.token, "Cookie: " + cookie)) {
          String response =
              rawRequest(
                  port,
                  local,
                  "GET "
                      + target
                      + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + port
                      + "\r\n"
                      + credential
                      + "\r\nConnection: close\r\n\r\n");
          assertThat(response).as(target).startsWith("HTTP/1.1 400");
          assertThat(body(response)).startsWith("malformed percent-encoding in the query string");
          assertNoJavaText(target, body(response));
        }
      }
      String badForm = postLogin(port, local, "token=%zz");
      assertThat(badForm).startsWith("HTTP/1.1 400");
      assertThat(body(badForm)).startsWith("malformed percent-encoding in the form");
      assertNoJavaText("POST /login token=%zz", body(badForm));
    }
  }

  private static String body(String response) {
    return RawHttp.body(response);
  }

  private static void assertNoJavaText(String what, String body) {
    assertThat(body)
        .as(what)
        .doesNotContain("URLDecoder")
        .doesNotContain("Exception")
        .doesNotContain("java.")
        .doesNotContain("Illegal hex")
        .endsWith("\n");
    assertThat(body.strip()).as(what).hasSizeLessThan(200).doesNotContain("\n");
  }

  @Test
  void theRevocationCheckEndsTheSessionsOfARevokedToken() throws Exception {
    try (HttpTestServer s = start()) {
      String cookie = s.login();
      s.login();
      assertThat(s.services.auth().endRevokedSessions()).isZero();
      s.data.tokens().revoke(HttpTestServer.DEVICE);
      assertThat(s.services.auth().endRevokedSessions()).isEqualTo(2);
      assertThat(s.send(s.request("/").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(303);
    }
  }
}
