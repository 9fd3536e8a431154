package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.rules.NewChange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/vaults/{vault}/zip[?path=FOLDER][&at=SEQ|TIME]}: the files of one manifest, at
 * head or in the past, a folder or the whole vault; bad input is a clear 4xx and never a stack
 * trace; a commit during the download does not change the zip.
 */
@Timeout(120)
class ZipRoutesTest {
  @TempDir Path dir;

  private HttpTestServer start() throws IOException {
    return HttpTestServer.start(dir, List.of(new ZipRoutes()));
  }

  private static void seed(HttpTestServer s) throws IOException {
    s.data.vaults().createVault("notes");
    VaultNotes.put(s.data.vaults(), "notes", "Daily/2026-11-25.md", "# Tuesday\n");
    VaultNotes.put(s.data.vaults(), "notes", "Daily/2026-11-26.md", "# Wednesday\n");
    VaultNotes.put(s.data.vaults(), "notes", "Ideas.md", "- zip downloads\n");
  }

  private static HttpResponse<byte[]> zip(HttpTestServer s, String query) throws Exception {
    return s.client.send(
        s.request("/api/vaults/notes/zip" + query)
            .header("Authorization", "Bearer " + s.token)
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void zipAtHeadHoldsEveryFileAndIsNamedByTheSeq() throws Exception {
    try (HttpTestServer s = start()) {
      seed(s);
      HttpResponse<byte[]> r = zip(s, "");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/zip");
      assertThat(r.headers().firstValue("Content-Disposition"))
          .contains("attachment; filename=\"notes-3.zip\"");
      HttpEndpointTest.assertSecurityHeaders(r);
      assertThat(VaultNotes.unzip(r.body()))
          .containsExactly(
              Map.entry("Daily/2026-11-25.md", "# Tuesday\n"),
              Map.entry("Daily/2026-11-26.md", "# Wednesday\n"),
              Map.entry("Ideas.md", "- zip downloads\n"));
    }
  }

  /**
   * Issue 12: a name no client can hold that was stored before the server refused them (written
   * straight into the ledger here) is left out of the zip: extracted over a vault, it would
   * overwrite a client's own token.
   */
  @Test
  void zipLeavesOutClientInternalNamesStoredEarlier() throws Exception {
    try (HttpTestServer s = start()) {
      seed(s);
      storeAnyway(s, ".vaultsync/token", "not the client's token");
      storeAnyway(s, "Daily/.vstmp-1-x.md", "half a write");

      HttpResponse<byte[]> r = zip(s, "");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(VaultNotes.names(r.body()))
          .containsExactly("Daily/2026-11-25.md", "Daily/2026-11-26.md", "Ideas.md");
      assertThat(VaultNotes.names(zip(s, "?path=Daily").body()))
          .containsExactly("Daily/2026-11-25.md", "Daily/2026-11-26.md");
    }
  }

  /** Writes {@code path} into the store and the ledger without the commit's checks. */
  static void storeAnyway(HttpTestServer s, String path, String text) throws Exception {
    io.vaultsync.server.ledger.VaultName v = io.vaultsync.server.ledger.VaultName.of("notes");
    try (var batch = s.data.store().newBatch()) {
      var staged = batch.stage(out -> out.write(VaultNotes.bytes(text)));
      batch.commit();
      s.data
          .ledger()
          .append(
              v,
              s.data.ledger().headSeq(v),
              List.of(
                  NewChange.put(
                      io.vaultsync.model.tree.NotePath.of(path), staged.hash(), staged.size())),
              "old",
              Instant.now());
    }
  }

  @Test
  void folderZipHoldsOnlyThatFolderAndAMissingFolderIs404() throws Exception {
    try (HttpTestServer s = start()) {
      seed(s);
      assertThat(VaultNotes.names(zip(s, "?path=Daily").body()))
          .containsExactly("Daily/2026-11-25.md", "Daily/2026-11-26.md");
      assertThat(VaultNotes.names(zip(s, "?path=Daily/").body()))
          .containsExactly("Daily/2026-11-25.md", "Daily/2026-11-26.md");
      assertThat(VaultNotes.names(zip(s, "?path=Ideas.md").body())).containsExactly("Ideas.md");
      // "Dai" is a prefix of a folder name, not a folder.
      assertThat(zip(s, "?path=Dai").statusCode()).isEqualTo(404);
      assertThat(zip(s, "?path=Weekly").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void zipAtASeqOrATimeHoldsTheVaultAsItWasThen() throws Exception {
    try (HttpTestServer s = start()) {
      seed(s);
      Instant before = Instant.now();
      Thread.sleep(5); // times are recorded in milliseconds
      VaultNotes.put(s.data.vaults(), "notes", "Ideas.md", "- zip downloads\n- shares\n");
      VaultNotes.delete(s.data.vaults(), "notes", "Daily/2026-11-25.md");

      HttpResponse<byte[]> atSeq = zip(s, "?at=3");
      assertThat(atSeq.headers().firstValue("Content-Disposition"))
          .contains("attachment; filename=\"notes-3.zip\"");
      assertThat(VaultNotes.unzip(atSeq.body()))
          .containsEntry("Ideas.md", "- zip downloads\n")
          .containsKey("Daily/2026-11-25.md");
      assertThat(VaultNotes.unzip(zip(s, "?at=" + before).body()))
          .containsEntry("Ideas.md", "- zip downloads\n")
          .hasSize(3);
      assertThat(VaultNotes.unzip(zip(s, "?at=2&path=Daily").body()))
          .containsOnlyKeys("Daily/2026-11-25.md", "Daily/2026-11-26.md");
      assertThat(VaultNotes.unzip(zip(s, "").body()))
          .containsEntry("Ideas.md", "- zip downloads\n- shares\n")
          .doesNotContainKey("Daily/2026-11-25.md");
    }
  }

  @Test
  void badQueriesAreClear4xxWithoutStackTraces() throws Exception {
    try (HttpTestServer s = start()) {
      seed(s);
      Map<String, Integer> cases =
          Map.ofEntries(
              Map.entry("?at=-1", 400),
              Map.entry("?at=0", 400),
              Map.entry("?at=abc", 400),
              Map.entry("?at=99", 400),
              Map.entry("?at=99999999999999999999999", 400),
              Map.entry("?at=1970-01-01T00:00:00Z", 404),
              Map.entry("?at=2026-13-45T99:00:00Z", 400),
              Map.entry("?path=..", 400),
              Map.entry("?path=%2e%2e%2f", 400),
              Map.entry("?path=Daily/../Ideas.md", 400),
              Map.entry("?path=%252e%252e", 404),
              Map.entry("?path=Daily%5C2026-11-25.md", 400),
              Map.entry("?path=Daily%00", 400),
              Map.entry("?path=/etc/passwd", 400),
              Map.entry("?path=" + "a/".repeat(3000) + "b", 400));
      for (Map.Entry<String, Integer> c : cases.entrySet()) {
        HttpResponse<byte[]> r = zip(s, c.getKey());
        String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(c.getKey() + ": " + body).isEqualTo(c.getValue());
        assertThat(body).as(c.getKey()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.headers().firstValue("Content-Type"))
            .as(c.getKey())
            .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      }
      assertThat(new String(zip(s, "?at=abc").body())).contains("at=\"abc\"");
      assertThat(new String(zip(s, "?at=99").body())).contains("beyond").contains("head seq 3");

      HttpResponse<String> unknownVault = s.get("/api/vaults/nope/zip");
      assertThat(unknownVault.statusCode()).isEqualTo(404);
      HttpResponse<String> badVault = s.get("/api/vaults/no%20pe/zip");
      assertThat(badVault.statusCode()).isEqualTo(400);
      HttpResponse<String> anonymous = s.anonymousGet("/api/vaults/notes/zip");
      assertThat(anonymous.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void commitsDuringTheDownloadDoNotChangeTheZip() throws Exception {
    CountDownLatch streaming = new CountDownLatch(1);
    CountDownLatch committed = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    try (HttpTestServer s =
        HttpTestServer.start(
            dir,
            List.of(new ZipRoutes()),
            null,
            HttpClient.newBuilder(),
            inner ->
                hash -> {
                  InputStream in = inner.open(hash);
                  if (first.getAndSet(false)) {
                    // The manifest is read and the first entry is being written: commit now.
                    streaming.countDown();
                    try {
                      assertThat(committed.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                      throw new IOException(e);
                    }
                  }
                  return new FilterInputStream(in) {};
                },
            java.time.Clock.systemUTC())) {
      s.data.vaults().createVault("notes");
      for (int i = 0; i < 50; i++) {
        VaultNotes.put(s.data.vaults(), "notes", "Projects/note-" + i + ".md", "v1 of " + i + "\n");
      }
      CompletableFuture<HttpResponse<byte[]>> download =
          s.client.sendAsync(
              s.request("/api/vaults/notes/zip?path=Projects")
                  .header("Authorization", "Bearer " + s.token)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(streaming.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 50; i += 2) {
        VaultNotes.put(s.data.vaults(), "notes", "Projects/note-" + i + ".md", "v2 of " + i + "\n");
      }
      VaultNotes.delete(s.data.vaults(), "notes", "Projects/note-1.md");
      VaultNotes.put(s.data.vaults(), "notes", "Projects/new.md", "new\n");
      committed.countDown();

      HttpResponse<byte[]> r = download.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Disposition"))
          .contains("attachment; filename=\"notes-50.zip\"");
      Map<String, String> files = VaultNotes.unzip(r.body());
      assertThat(files).hasSize(50).doesNotContainKey("Projects/new.md");
      for (int i = 0; i < 50; i++) {
        assertThat(files).containsEntry("Projects/note-" + i + ".md", "v1 of " + i + "\n");
      }
    }
  }
}
