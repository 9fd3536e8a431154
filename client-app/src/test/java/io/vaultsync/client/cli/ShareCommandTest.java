package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.server.app.ServerCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vaultsync share create|list|revoke} end to end: a real server with {@code --http} on
 * 127.0.0.1, the CLI over gRPC, the link opened over HTTP.
 */
@Timeout(120)
class ShareCommandTest {
  @TempDir Path tmp;

  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private CompletableFuture<Integer> server;
  private ServerCommand.Running running;
  private Path a;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startServerAndSyncAFolder() throws Exception {
    CompletableFuture<ServerCommand.Running> started = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, started::complete);
    Path data = tmp.resolve("server");
    server =
        CompletableFuture.supplyAsync(
            () -> {
              CommandLine cl = new CommandLine(command);
              cl.setOut(new PrintWriter(new StringWriter()));
              cl.setErr(new PrintWriter(new StringWriter()));
              return cl.execute(
                  "--data", data.toString(), "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0");
            });
    running = started.get(30, TimeUnit.SECONDS);
    String token = running.data().tokens().create("laptop");
    a = Files.createDirectories(tmp.resolve("a"));
    Files.createDirectories(a.resolve("Recipes"));
    Files.writeString(a.resolve("Recipes/Pancakes.md"), "# Pancakes\n\nflour, eggs, milk\n");
    Files.writeString(a.resolve("Private.md"), "not shared\n");
    Cli.Run init =
        Cli.run(
            "init",
            a.toString(),
            "--server",
            "http://127.0.0.1:" + running.port(),
            "--vault",
            "notes",
            "--token",
            token,
            "--device",
            "laptop");
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    Cli.Run sync = Cli.run("sync", a.toString());
    assertThat(sync.exitCode()).as(sync.stderr()).isZero();
  }

  @AfterEach
  void stopServer() throws Exception {
    stop.complete(null);
    assertThat(server.get(30, TimeUnit.SECONDS)).isZero();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void createPrintsAUrlThatOpensTheNoteListShowsItAndRevokeEndsIt() throws Exception {
    Cli.Run created =
        Cli.run("share", "create", a.toString(), "Recipes/Pancakes.md", "--expires", "7d");
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    String url = created.text().trim();
    assertThat(url)
        .matches("http://127\\.0\\.0\\.1:" + running.httpPort() + "/s/[A-Za-z0-9_-]{43}");
    HttpResponse<String> page = get(url);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Pancakes</h1>").doesNotContain("not shared");

    Cli.Run list = Cli.run("share", "list", a.toString(), "--json");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.text())
        .contains("\"path\":\"Recipes/Pancakes.md\"")
        .contains("\"kind\":\"file\"")
        .contains("\"status\":\"active\"")
        .contains("\"createdBy\":\"laptop\"")
        .doesNotContain(url.substring(url.lastIndexOf('/') + 1));
    String id = list.text().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");

    Cli.Run revoked = Cli.run("share", "revoke", a.toString(), id);
    assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();
    assertThat(get(url).statusCode()).isEqualTo(404);
    assertThat(Cli.run("share", "list", a.toString()).text()).contains(id + "\trevoked");
    Cli.Run again = Cli.run("share", "revoke", a.toString(), "nope");
    assertThat(again.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(again.stderr()).contains("no share link \"nope\"");
  }

  @Test
  void folderShareWithAPasswordFromStdinAsksForIt() throws Exception {
    Cli.Run created =
        Cli.run(
            "hunter2\n".getBytes(StandardCharsets.UTF_8),
            "share",
            "create",
            a.toString(),
            "Recipes/",
            "--password-stdin");
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    HttpResponse<String> ask = get(created.text().trim());
    assertThat(ask.statusCode()).isEqualTo(401);
    assertThat(ask.body()).contains("name=\"password\"").doesNotContain("Pancakes");
    assertThat(Cli.run("share", "list", a.toString()).text())
        .contains("folder\tRecipes")
        .contains("password");
  }

  @Test
  void badPathsAndExpiriesAreRefusedNamingTheValue() {
    Cli.Run missing = Cli.run("share", "create", a.toString(), "Nope.md");
    assertThat(missing.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(missing.stderr()).contains("Nope.md");
    Cli.Run escape = Cli.run("share", "create", a.toString(), "../etc/passwd");
    assertThat(escape.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(escape.stderr()).contains("..");
    Cli.Run expiry = Cli.run("share", "create", a.toString(), "Private.md", "--expires", "soon");
    assertThat(expiry.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(expiry.stderr()).contains("--expires \"soon\"");
    Cli.Run past =
        Cli.run("share", "create", a.toString(), "Private.md", "--expires", "2001-01-01T00:00:00Z");
    assertThat(past.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(past.stderr()).contains("2001-01-01T00:00:00Z");
  }
}
