package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.ledger.VaultName;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share links over HTTP: a file share renders its note (raw HTML escaped) and offers the raw bytes,
 * bound to the file's identity; a folder share lists, renders and zips its files; unknown, revoked,
 * expired and out-of-scope requests get one identical 404; no path escapes the share; passwords are
 * asked for and their attempts rate-limited.
 */
@Timeout(120)
class ShareRoutesTest {
  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.now());
  private static final VaultName NOTES = VaultName.of("notes");

  private HttpTestServer start() throws Exception {
    HttpTestServer s = HttpTestServer.start(dir, List.of(new ShareRoutes()), clock);
    s.data.vaults().createVault("notes");
    VaultNotes.put(
        s.data.vaults(),
        "notes",
        "Public/Recipe.md",
        "# Pancakes\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1)) and"
            + " [site](https://example.org)\n");
    VaultNotes.put(s.data.vaults(), "notes", "Public/sub/Shopping list.md", "- eggs\n- milk\n");
    VaultNotes.put(s.data.vaults(), "notes", "Public/data.bin", "\u0000\u0001binary");
    VaultNotes.put(s.data.vaults(), "notes", "Private/secret.md", "the secret\n");
    VaultNotes.put(s.data.vaults(), "notes", "Publication.md", "next to Public, not in it\n");
    return s;
  }

  private static String path(CreatedShare c) {
    return c.url().substring(c.url().indexOf("/s/"));
  }

  private static CreatedShare share(HttpTestServer s, String path) throws Exception {
    return share(s, path, null, null);
  }

  private static CreatedShare share(HttpTestServer s, String path, Instant expires, String pw)
      throws Exception {
    return s.data
        .shares()
        .create(NOTES, NotePath.of(path), expires, pw == null ? null : pw.toCharArray(), "laptop");
  }

  @Test
  void fileShareRendersTheNoteWithRawHtmlEscapedAndOffersTheRawBytes() throws Exception {
    try (HttpTestServer s = start()) {
      CreatedShare c = share(s, "Public/Recipe.md");
      assertThat(c.url()).matches("http://127\\.0\\.0\\.1:\\d+/s/[A-Za-z0-9_-]{43}");
      HttpResponse<String> page = s.anonymousGet(path(c));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      HttpEndpointTest.assertSecurityHeaders(page);
      assertThat(page.body())
          .contains("<h1>Pancakes</h1>")
          .contains("&lt;script&gt;")
          .doesNotContain("<script")
          .doesNotContain("javascript:")
          .contains("href=\"https://example.org\"")
          .contains("href=\"" + path(c) + "/raw\"");
      HttpResponse<String> raw = s.anonymousGet(path(c) + "/raw");
      assertThat(raw.statusCode()).isEqualTo(200);
      assertThat(raw.body()).startsWith("# Pancakes\n\n<script>");
      assertThat(raw.headers().firstValue("Content-Disposition"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("attachment").contains("Recipe.md"));
      assertThat(raw.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }
  }

  @Test
  void fileShareFollowsEditsButNotANewFileCreatedAtThePath() throws Exception {
    try (HttpTestServer s = start()) {
      CreatedShare c = share(s, "Public/Recipe.md");
      VaultNotes.put(s.data.vaults(), "notes", "Public/Recipe.md", "# Waffles\n");
      assertThat(s.anonymousGet(path(c)).body()).contains("<h1>Waffles</h1>");

      VaultNotes.delete(s.data.vaults(), "notes", "Public/Recipe.md");
      VaultNotes.put(s.data.vaults(), "notes", "Public/Recipe.md", "# A different note\n");
      HttpResponse<String> recreated = s.anonymousGet(path(c));
      assertThat(recreated.statusCode()).isEqualTo(404);
      assertThat(recreated.body()).doesNotContain("different");
      assertThat(s.anonymousGet(path(c) + "/raw").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void folderShareListsRendersAndZipsOnlyItsFiles() throws Exception {
    try (HttpTestServer s = start()) {
      CreatedShare c = share(s, "Public");
      HttpResponse<String> list = s.anonymousGet(path(c));
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body())
          .contains(path(c) + "/f/Recipe.md")
          .contains(path(c) + "/f/sub/Shopping%20list.md")
          .contains(path(c) + "/zip")
          .doesNotContain("secret")
          .doesNotContain("Publication");

      HttpResponse<String> note = s.anonymousGet(path(c) + "/f/sub/Shopping%20list.md");
      assertThat(note.statusCode()).isEqualTo(200);
      assertThat(note.body()).contains("<li>eggs</li>");
      assertThat(s.anonymousGet(path(c) + "/raw/sub/Shopping%20list.md").body())
          .isEqualTo("- eggs\n- milk\n");

      HttpResponse<byte[]> zip =
          s.client.send(
              s.request(path(c) + "/zip").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(zip.statusCode()).isEqualTo(200);
      assertThat(VaultNotes.names(zip.body()))
          .containsExactly("Public/Recipe.md", "Public/data.bin", "Public/sub/Shopping list.md");

      // Files added to the folder later are part of a folder share.
      VaultNotes.put(s.data.vaults(), "notes", "Public/new.md", "new\n");
      assertThat(s.anonymousGet(path(c) + "/f/new.md").statusCode()).isEqualTo(200);
    }
  }

  /** Status, body and headers except the date: what a caller can compare. */
  private static Map<String, Object> shape(HttpResponse<String> r) {
    Map<String, Object> m = new TreeMap<>();
    m.put(":status", r.statusCode());
    m.put(":body", r.body());
    r.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!k.equalsIgnoreCase("date")) {
                m.put(k.toLowerCase(java.util.Locale.ROOT), v);
              }
            });
    return m;
  }

  @Test
  void unknownRevokedExpiredAndOutOfScopeRequestsGetTheIdentical404() throws Exception {
    try (HttpTestServer s = start()) {
      CreatedShare revoked = share(s, "Public/Recipe.md");
      s.data.shares().revoke(NOTES, revoked.info().id());
      CreatedShare expiring = share(s, "Public/Recipe.md", clock.instant().plusSeconds(60), null);
      assertThat(s.anonymousGet(path(expiring)).statusCode()).isEqualTo(200);
      clock.advance(Duration.ofSeconds(61));
      CreatedShare file = share(s, "Public/Recipe.md");
      CreatedShare folder = share(s, "Public");

      HttpResponse<String> unknown = s.anonymousGet("/s/" + "A".repeat(43));
      assertThat(unknown.statusCode()).isEqualTo(404);
      Map<String, Object> expected = shape(unknown);
      List<String> requests =
          List.of(
              "/s/short",
              path(revoked),
              path(revoked) + "/raw",
              path(expiring),
              path(file) + "/zip",
              path(file) + "/f/Recipe.md",
              path(folder) + "/raw",
              path(folder) + "/f/missing.md",
              path(folder) + "/f/..%2FPrivate%2Fsecret.md",
              path(folder) + "/f/%252e%252e/Private/secret.md",
              path(folder) + "/raw/sub",
              path(folder) + "/f/../Publication.md".replace("../", "%2E%2E%5C"));
      for (String r : requests) {
        HttpResponse<String> got = s.anonymousGet(r);
        if (got.statusCode() == 400 && r.contains("%")) {
          // Jetty itself refuses some encodings before any route runs: still nothing leaks.
          assertThat(got.body()).as(r).doesNotContain("secret").doesNotContain("Exception");
          continue;
        }
        assertThat(shape(got)).as(r).isEqualTo(expected);
      }
    }
  }

  @Test
  void pathsThatTryToLeaveTheSharedFolderNeverServeOutsideContent() throws Exception {
    try (HttpTestServer s = start()) {
      String base = path(share(s, "Public"));
      for (String escape :
          List.of(
              "/f/../Private/secret.md",
              "/f/%2e%2e/Private/secret.md",
              "/f/%2e%2e%2fPrivate%2fsecret.md",
              "/f/%252e%252e%252fPrivate%252fsecret.md",
              "/f/..%5CPrivate%5Csecret.md",
              "/raw/%2e%2e/Private/secret.md",
              "/raw/sub/..%2f..%2f..%2fPrivate/secret.md",
              "/f/Recipe.md%00",
              "/f/" + "a/".repeat(3000) + "b.md")) {
        String raw =
            HttpEndpointTest.raw(
                s.endpoint.port(),
                "GET "
                    + base
                    + escape
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(raw).as(escape).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
        assertThat(raw).as(escape).doesNotContain("the secret").doesNotContain("Exception");
      }
    }
  }

  @Test
  void passwordShareAsksForThePasswordAndLimitsAttemptsPerAddress() throws Exception {
    try (HttpTestServer s = start()) {
      CreatedShare c = share(s, "Public/Recipe.md", null, "correct horse");
      HttpResponse<String> ask = s.anonymousGet(path(c));
      assertThat(ask.statusCode()).isEqualTo(401);
      assertThat(ask.body()).contains("name=\"password\"").doesNotContain("Pancakes");
      assertThat(s.anonymousGet(path(c) + "/raw").statusCode()).isEqualTo(401);

      HttpResponse<String> wrong = s.postForm(path(c), null, "password", "wrong");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("Wrong password");

      HttpResponse<String> right = s.postForm(path(c), null, "password", "correct horse");
      assertThat(right.statusCode()).isEqualTo(303);
      String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie)
          .contains("Path=" + path(c))
          .contains("HttpOnly")
          .contains("SameSite=Strict")
          .doesNotContain("correct horse");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      HttpResponse<String> in = s.send(s.request(path(c)).header("Cookie", cookie).build());
      assertThat(in.statusCode()).isEqualTo(200);
      assertThat(in.body()).contains("Pancakes");

      // The grant opens only its own share.
      CreatedShare other = share(s, "Public", null, "correct horse");
      assertThat(s.send(s.request(path(other)).header("Cookie", cookie).build()).statusCode())
          .isEqualTo(401);

      // 2 attempts so far from 127.0.0.1; 3 more are allowed, then 429 until a minute passed.
      for (int i = 0; i < 3; i++) {
        assertThat(s.postForm(path(c), null, "password", "guess" + i).statusCode()).isEqualTo(401);
      }
      HttpResponse<String> limited = s.postForm(path(c), null, "password", "correct horse");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
      assertThat(limited.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      clock.advance(Duration.ofSeconds(61));
      assertThat(s.postForm(path(c), null, "password", "correct horse").statusCode())
          .isEqualTo(303);
    }
  }
}
