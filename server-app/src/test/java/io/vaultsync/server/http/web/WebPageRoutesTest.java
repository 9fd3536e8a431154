package io.vaultsync.server.http.web;

import static io.vaultsync.server.http.VaultNotes.putOver;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.server.http.HttpTestServer;
import io.vaultsync.server.http.ShareRoutes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner pages over HTTP without a browser: access, escaping, bad input, CSRF. */
class WebPageRoutesTest {
  private static final String HOSTILE = "<img src=x onerror=alert(1)> & 'q'.md";

  @TempDir Path dir;
  private HttpTestServer server;
  private long firstSeq;

  @BeforeEach
  void start() throws Exception {
    server = HttpTestServer.start(dir, List.of(new ShareRoutes(), new WebPageRoutes()));
    server.data.vaults().createVault("notes");
    firstSeq =
        commit(
            putOver("Daily/a.md", null, "# A\n\nfirst\n"),
            putOver(HOSTILE, null, "<script>x()</script>\n"));
    commit(putOver("Daily/a.md", "# A\n\nfirst\n", "# A\n\nsecond\n"));
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void pagesWithoutASessionRedirectToTheLoginForm() throws Exception {
    for (String page :
        List.of("/", "/v/notes/", "/v/notes/file?path=Daily/a.md", "/v/notes/shares")) {
      HttpResponse<String> r = server.anonymousGet(page);
      assertThat(r.statusCode()).as(page).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).as(page).contains("/login");
    }
  }

  @Test
  void aBadBearerTokenIsA401NotARedirect() throws Exception {
    HttpResponse<String> r =
        server.send(server.request("/").header("Authorization", "Bearer nope").GET().build());
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void noteNamesAndContentAreEscapedNeverMarkup() throws Exception {
    HttpResponse<String> root = server.get("/v/notes/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body())
        .doesNotContain("<img src=x")
        .contains("&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;.md");
    HttpResponse<String> file = server.get("/v/notes/file?path=" + HtmlWriter.encode(HOSTILE));
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).doesNotContain("<script>x()").contains("&lt;script&gt;x()");
    assertThat(file.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void anOldVersionDownloadsAsAnAttachmentWithItsOwnBytes() throws Exception {
    HttpResponse<String> r = server.get("/v/notes/raw?path=Daily/a.md&seq=" + firstSeq);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("# A\n\nfirst\n");
    assertThat(r.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"a.md\"; filename*=UTF-8''a.md");
    assertThat(server.get("/v/notes/raw?path=Daily/a.md").body()).isEqualTo("# A\n\nsecond\n");
  }

  @Test
  void badPathsSeqsAndVaultsAreClear4xxNamingTheValue() throws Exception {
    assertStatus("/v/notes/file?path=../etc/passwd", 400, "..");
    assertStatus("/v/notes/file?path=Daily%2F..%2Fa.md", 400, "..");
    assertStatus("/v/notes/raw?path=Daily/a.md&seq=abc", 400, "\"abc\"");
    assertStatus("/v/notes/raw?path=Daily/a.md&seq=0", 400, "\"0\"");
    assertStatus("/v/notes/file", 400, "path");
    assertStatus("/v/bad%20name/", 400, "bad name");
    assertStatus("/v/missing/", 404, "missing");
    assertStatus("/v/notes/raw?path=Daily/none.md", 404, "Daily/none.md");
    assertStatus("/v/notes/?dir=Nope", 404, "Nope");
    assertStatus("/v/notes/file?path=" + "a".repeat(5000), 400, "4096");
  }

  @Test
  void aPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
    String cookie = server.login();
    String token = csrfToken(cookie, "/v/notes/shares/new?path=Daily/a.md");

    HttpResponse<String> without =
        server.postForm("/v/notes/shares", cookie, "path", "Daily/a.md", "expires", "7d");
    assertThat(without.statusCode()).isEqualTo(403);
    HttpResponse<String> wrong =
        server.postForm(
            "/v/notes/shares", cookie, "path", "Daily/a.md", "expires", "7d", "csrf", token + "x");
    assertThat(wrong.statusCode()).isEqualTo(403);
    HttpResponse<String> right =
        server.postForm(
            "/v/notes/shares", cookie, "path", "Daily/a.md", "expires", "7d", "csrf", token);
    assertThat(right.statusCode()).isEqualTo(201);
    assertThat(right.body()).contains("id=\"share-url\"");
  }

  @Test
  void aSessionPostWithOriginNullCountsAsSameOriginOnlyWhenFetchMetadataSaysSo() throws Exception {
    String cookie = server.login();
    String token = csrfToken(cookie);
    String form = "path=Daily%2Fa.md&expires=7d&csrf=" + token;
    assertThat(postWithOriginNull(cookie, form, "cross-site").statusCode()).isEqualTo(403);
    assertThat(postWithOriginNull(cookie, form, "same-origin").statusCode()).isEqualTo(201);
  }

  /** Posts {@code form} to the shares page as a browser sending {@code Origin: null} does. */
  private HttpResponse<String> postWithOriginNull(String cookie, String form, String fetchSite)
      throws Exception {
    return server.send(
        server
            .request("/v/notes/shares")
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "null")
            .header("Sec-Fetch-Site", fetchSite)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  @Test
  void aRevokedLinkLeavesTheListAndItsShareUrlIsA404() throws Exception {
    String cookie = server.login();
    HttpResponse<String> created =
        server.postForm(
            "/v/notes/shares",
            cookie,
            "path",
            "Daily/a.md",
            "expires",
            "never",
            "csrf",
            csrfToken(cookie));
    Matcher url =
        Pattern.compile("id=\"share-url\" readonly value=\"([^\"]+)\"").matcher(created.body());
    assertThat(url.find()).isTrue();
    String sharePath = java.net.URI.create(url.group(1)).getPath();
    assertThat(server.anonymousGet(sharePath).statusCode()).isEqualTo(200);

    HttpResponse<String> list =
        server.send(server.request("/v/notes/shares").header("Cookie", cookie).GET().build());
    Matcher revoke =
        Pattern.compile("action=\"(/v/notes/shares/[^\"]+/revoke)\"").matcher(list.body());
    assertThat(revoke.find()).isTrue();
    HttpResponse<String> revoked =
        server.postForm(revoke.group(1), cookie, "csrf", csrfToken(cookie));
    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(server.anonymousGet(sharePath).statusCode()).isEqualTo(404);
    HttpResponse<String> after =
        server.send(server.request("/v/notes/shares").header("Cookie", cookie).GET().build());
    assertThat(after.body()).contains("id=\"no-shares\"");
  }

  /** The CSRF token of the session {@code cookie}, read from the form on the shares page. */
  private String csrfToken(String cookie) throws Exception {
    return csrfToken(cookie, "/v/notes/shares");
  }

  /** The CSRF token of the session {@code cookie}, read from the form on {@code page}. */
  private String csrfToken(String cookie, String page) throws Exception {
    HttpResponse<String> r =
        server.send(server.request(page).header("Cookie", cookie).GET().build());
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(r.body());
    assertThat(m.find()).as("a csrf field on %s", page).isTrue();
    return m.group(1);
  }

  @Test
  void anExpiryThatIsNotOfferedIsA400() throws Exception {
    String cookie = server.login();
    String token = csrfToken(cookie, "/v/notes/shares/new?path=Daily/a.md");
    HttpResponse<String> r =
        server.postForm(
            "/v/notes/shares", cookie, "path", "Daily/a.md", "expires", "99y", "csrf", token);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("99y");
  }

  private void assertStatus(String page, int status, String mention) throws Exception {
    HttpResponse<String> r = server.get(page);
    assertThat(r.statusCode()).as(page).isEqualTo(status);
    assertThat(r.body())
        .as(page)
        .contains(mention)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  private long commit(Mutation... puts) throws IOException {
    List<Outcome> outcomes = server.data.vaults().commit("notes", List.of(puts), "laptop");
    return ((Outcome.Applied) outcomes.get(0)).change().seq();
  }
}
