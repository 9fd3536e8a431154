package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.config.RoutesConfig;
import io.vaultsync.protocol.NotFoundException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP skeleton on 127.0.0.1:0: bearer and session authentication, the error mapping (plain
 * short messages, incident ids for 500s, no stack traces), security headers on every response and
 * TLS with the gRPC listener's PEM files.
 */
@Timeout(120)
class HttpEndpointTest {
  @TempDir Path dir;

  /** Routes that exercise the skeleton. */
  static final class ProbeRoutes implements HttpRoutes {
    @Override
    public void register(RoutesConfig routes, HttpServices services) {
      routes.get("/probe/whoami", ctx -> ctx.result(services.auth().requireDevice(ctx)));
      routes.post("/probe/whoami", ctx -> ctx.result(services.auth().requireDevice(ctx)));
      routes.get(
          "/probe/boom",
          ctx -> {
            throw new IllegalStateException("secret internal detail /srv/data/vaultsync.db");
          });
      routes.get(
          "/probe/bad",
          ctx -> {
            throw new IllegalArgumentException("seq \"abc\" is not a number; expected 1 or more");
          });
      routes.get("/probe/jdkbad", ctx -> ctx.result(Long.toString(Long.parseLong("12x"))));
      routes.get(
          "/probe/missing",
          ctx -> {
            throw new NotFoundException("vault \"nope\" does not exist");
          });
      routes.get(
          "/probe/nofile",
          ctx -> {
            throw new java.nio.file.NoSuchFileException("/srv/data/store/pack-1");
          });
    }
  }

  private HttpTestServer start() throws Exception {
    return HttpTestServer.start(dir, List.of(new ProbeRoutes()));
  }

  static void assertSecurityHeaders(HttpResponse<?> r) {
    assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
  }

  @Test
  void bearerTokenNamesTheDeviceAndMissingOrWrongTokensGet401() throws Exception {
    try (HttpTestServer s = start()) {
      HttpResponse<String> ok = s.get("/probe/whoami");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo(HttpTestServer.DEVICE);
      assertSecurityHeaders(ok);

      HttpResponse<String> none = s.anonymousGet("/probe/whoami");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(none.body()).contains("device token is required");
      assertSecurityHeaders(none);

      HttpResponse<String> wrong = whoami(s, "Bearer " + "x".repeat(43));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("unknown or revoked device token");

      HttpResponse<String> huge = whoami(s, "Bearer " + "x".repeat(5000));
      assertThat(huge.statusCode()).isEqualTo(401);

      HttpResponse<String> basic = whoami(s, "Basic Zm9vOmJhcg==");
      assertThat(basic.statusCode()).isEqualTo(401);
    }
  }

  /** GET /probe/whoami with {@code authorization} as its Authorization header. */
  private static HttpResponse<String> whoami(HttpTestServer s, String authorization)
      throws Exception {
    return s.send(s.request("/probe/whoami").header("Authorization", authorization).build());
  }

  @Test
  void loginSetsAStrictHttpOnlySessionCookieThatLogoutEnds() throws Exception {
    try (HttpTestServer s = start()) {
      HttpResponse<String> form = s.anonymousGet("/login");
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(form.body()).contains("<form method=\"post\" action=\"/login\">");
      assertSecurityHeaders(form);

      HttpResponse<String> wrong = s.postForm("/login", null, "token", "not-a-token");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

      HttpResponse<String> ok = s.postForm("/login", null, "token", s.token);
      assertThat(ok.statusCode()).isEqualTo(303);
      assertThat(ok.headers().firstValue("Location")).contains("/");
      String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie)
          .startsWith(HttpAuth.SESSION_COOKIE + "=")
          .contains("HttpOnly")
          .contains("SameSite=Strict")
          .doesNotContain("Secure")
          .doesNotContain(s.token);
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      HttpResponse<String> me = s.send(s.request("/probe/whoami").header("Cookie", cookie).build());
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(me.body()).isEqualTo(HttpTestServer.DEVICE);

      // A state-changing request from another origin is refused even with the cookie.
      HttpResponse<String> crossSite =
          s.send(
              s.request("/probe/whoami")
                  .header("Cookie", cookie)
                  .header("Origin", "https://evil.example")
                  .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(crossSite.statusCode()).isEqualTo(403);

      // Sign-out needs the session's CSRF token (issue 12): without it, 403 and the session stays.
      HttpResponse<String> forged = s.postForm("/logout", cookie);
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("csrf");
      assertThat(s.send(s.request("/probe/whoami").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(200);
      String csrf = s.services.auth().csrf().tokenFor(cookie.substring(cookie.indexOf('=') + 1));
      HttpResponse<String> out = s.postForm("/logout", cookie, "csrf", csrf);
      assertThat(out.statusCode()).isEqualTo(303);
      assertThat(out.headers().firstValue("Set-Cookie"))
          .hasValueSatisfying(v -> assertThat(v).contains("Max-Age=0"));
      HttpResponse<String> after =
          s.send(s.request("/probe/whoami").header("Cookie", cookie).build());
      assertThat(after.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void revokingTheDeviceTokenEndsItsSessions() throws Exception {
    try (HttpTestServer s = start()) {
      String cookie = s.login();
      assertThat(s.send(s.request("/probe/whoami").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(200);
      s.data.tokens().revoke(HttpTestServer.DEVICE);
      s.data.tokens().create(HttpTestServer.DEVICE);
      assertThat(s.send(s.request("/probe/whoami").header("Cookie", cookie).build()).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void exceptionsBecomeShortPlainMessagesAndA500ShowsOnlyAnIncidentId() throws Exception {
    try (HttpTestServer s = start()) {
      HttpResponse<String> boom = s.get("/probe/boom");
      assertThat(boom.statusCode()).isEqualTo(500);
      assertThat(boom.body()).matches("internal error \\(incident [0-9a-f]{12}\\)\n");
      assertThat(boom.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertSecurityHeaders(boom);

      HttpResponse<String> bad = s.get("/probe/bad");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).isEqualTo("seq \"abc\" is not a number; expected 1 or more\n");
      assertSecurityHeaders(bad);

      // An IllegalArgumentException from the JDK: a sentence of ours, not "For input string ..."
      HttpResponse<String> jdk = s.get("/probe/jdkbad");
      assertThat(jdk.statusCode()).isEqualTo(400);
      assertThat(jdk.body())
          .isEqualTo("malformed request: a part of the address or form could not be read\n");

      HttpResponse<String> missing = s.get("/probe/missing");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("vault \"nope\" does not exist");

      HttpResponse<String> noFile = s.get("/probe/nofile");
      assertThat(noFile.statusCode()).isEqualTo(404);
      assertThat(noFile.body()).isEqualTo("not found\n");

      HttpResponse<String> noRoute = s.get("/no/such/route");
      assertThat(noRoute.statusCode()).isEqualTo(404);
      assertThat(noRoute.body()).isEqualTo("not found\n");
      assertSecurityHeaders(noRoute);
    }
  }

  @Test
  void malformedRequestsJettyRefusesCarryNoStackTraceAndTheSecurityHeaders() throws Exception {
    try (HttpTestServer s = start()) {
      for (String target :
          new String[] {"/probe/%2e%2e/whoami", "/probe%2Fwhoami", "/probe/%00", "/%ZZ"}) {
        String response =
            raw(
                s.endpoint.port(),
                "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response).as(target).startsWith("HTTP/1.1 4");
        assertThat(response).as(target).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(response).as(target).contains("X-Content-Type-Options: nosniff");
        assertThat(response).as(target).contains("Referrer-Policy: no-referrer");
      }
    }
  }

  @Test
  void headRequestsAreRefusedRatherThanAnsweredWithoutAuthentication() throws Exception {
    try (HttpTestServer s = start()) {
      HttpResponse<String> head =
          s.send(
              s.request("/probe/whoami")
                  .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(head.statusCode()).isEqualTo(405);
      assertSecurityHeaders(head);
    }
  }

  static String raw(int port, String request) throws Exception {
    return RawHttp.exchange(port, InetAddress.getLoopbackAddress(), request);
  }

  @Test
  void tlsServesWithThePemFilesAndMarksTheCookieSecure() throws Exception {
    TestCertificates certs = TestCertificates.make(dir);
    try (HttpTestServer s =
        HttpTestServer.start(
            dir,
            List.of(new ProbeRoutes()),
            certs.files,
            HttpClient.newBuilder().sslContext(certs.trustingContext()))) {
      assertThat(s.uri("/").getScheme()).isEqualTo("https");
      HttpResponse<String> ok = s.get("/probe/whoami");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo(HttpTestServer.DEVICE);
      HttpResponse<String> login = s.postForm("/login", null, "token", s.token);
      assertThat(login.headers().firstValue("Set-Cookie"))
          .hasValueSatisfying(v -> assertThat(v).contains("; Secure"));
      // Plaintext to the TLS port gets no page.
      String plain =
          raw(
              s.endpoint.port(),
              "GET /probe/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertThat(plain).doesNotContain(HttpTestServer.DEVICE);
    }
  }
}
