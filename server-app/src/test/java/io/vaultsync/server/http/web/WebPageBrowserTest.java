package io.vaultsync.server.http.web;

import static io.vaultsync.server.http.VaultNotes.putOver;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.server.app.ServerCommand;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The owner's web page end to end: a real server ({@code vaultsync server --listen 127.0.0.1:0
 * --http 127.0.0.1:0}) holding a vault uploaded over gRPC by a device, with one note edited twice;
 * headless chromium signs in with the device token, lists the vaults, browses into a folder, opens
 * the note and its history, downloads the first version, creates a share link, signs out, opens the
 * link in a fresh browser (the note renders as HTML), then (signed in again) revokes it, after
 * which the link is a 404.
 */
class WebPageBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String V1 = "# Plan\n\nfirst draft\n";
  private static final String V2 = "# Plan\n\nsecond draft\n";
  private static final String V3 = "# Plan\n\nthird draft, with **bold** words\n";

  @TempDir Path dir;

  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private CompletableFuture<Integer> serverExit;
  private ChromeDriver owner;
  private ChromeDriver visitor;

  @AfterEach
  void tearDown() throws Exception {
    if (owner != null) {
      owner.quit();
    }
    if (visitor != null) {
      visitor.quit();
    }
    stop.complete(null);
    if (serverExit != null) {
      assertThat(serverExit.get(20, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void ownerBrowsesOpensHistoryDownloadsAVersionSharesAndRevokesInHeadlessChromium()
      throws Exception {
    HeadlessChromium.requireInstalled();
    Path data = dir.resolve("data");
    String token =
        run(new ServerCommand(), "token", "create", "--data", data.toString(), "--name", "laptop")
            .trim();
    CompletableFuture<ServerCommand.Running> started = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, started::complete);
    serverExit =
        CompletableFuture.supplyAsync(
            () ->
                new CommandLine(command)
                    .execute(
                        "--data",
                        data.toString(),
                        "--listen",
                        "127.0.0.1:0",
                        "--http",
                        "127.0.0.1:0"));
    ServerCommand.Running server = started.get(30, TimeUnit.SECONDS);
    String base = "http://127.0.0.1:" + server.httpPort();

    // A device uploads a vault over gRPC and edits one note twice.
    long firstSeq;
    try (GrpcVaultTransport device =
        GrpcVaultTransport.connect(
            "127.0.0.1:" + server.port(),
            token,
            ChannelSecurity.loopbackPlaintext(),
            GrpcClientOptions.DEFAULTS)) {
      device.createVault("notes");
      firstSeq =
          commit(
                  device,
                  putOver("Projects/plan.md", null, V1),
                  putOver("inbox.md", null, "# Inbox\n"))
              .get(0);
      commit(device, putOver("Projects/plan.md", V1, V2));
      commit(device, putOver("Projects/plan.md", V2, V3));
    }

    owner = HeadlessChromium.start(dir.resolve("owner-profile"), dir.resolve("owner-downloads"));
    WebDriverWait wait = new WebDriverWait(owner, WAIT);

    // Not signed in: the page sends us to the login form.
    owner.get(base + "/");
    signIn(wait, token);

    // The vault list.
    WebElement vaults = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("vaults")));
    assertThat(vaults.getText()).contains("notes", "2");
    assertThat(owner.findElement(By.id("device")).getText()).isEqualTo("laptop");

    // Browse: the root lists the folder first, then the file; into the folder.
    vaults.findElement(By.linkText("notes")).click();
    WebElement listing =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("listing")));
    List<WebElement> rows = listing.findElements(By.cssSelector("tbody tr"));
    assertThat(rows)
        .extracting(r -> r.findElement(By.tagName("a")).getText())
        .containsExactly("Projects/", "inbox.md");
    screenshot(owner, "folder");
    owner.findElement(By.linkText("Projects/")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("crumbs"), "Projects"));
    assertThat(owner.findElement(By.id("crumbs")).getText()).isEqualTo("Vaults / notes / Projects");

    // The note: rendered as HTML, with its three versions.
    owner.findElement(By.linkText("plan.md")).click();
    WebElement note = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("note")));
    assertThat(note.findElement(By.tagName("h1")).getText()).isEqualTo("Plan");
    assertThat(note.findElement(By.tagName("strong")).getText()).isEqualTo("bold");
    List<WebElement> history = owner.findElements(By.cssSelector("#history tbody tr"));
    assertThat(history).hasSize(3);
    assertThat(history.get(0).getText()).contains("laptop", "edit");

    screenshot(owner, "note");

    // Download the first version: the link's bytes, fetched with the browser's session cookie.
    WebElement oldest = history.get(2);
    assertThat(oldest.getAttribute("data-seq")).isEqualTo(Long.toString(firstSeq));
    String href = oldest.findElement(By.className("download")).getAttribute("href");
    Cookie session = owner.manage().getCookieNamed("vaultsync_session");
    HttpResponse<byte[]> download = fetch(href, session.getName() + "=" + session.getValue());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment;")
        .contains("plan.md");
    assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo(V1);

    // View the first version in the page too.
    oldest.findElement(By.linkText("view")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("note"), "first draft"));

    // Share the note: the URL shows once.
    owner.findElement(By.linkText("Share this file")).click();
    new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("share-expires"))))
        .selectByValue("7d");
    owner.findElement(By.id("share-create")).click();
    screenshot(owner, "share-created");
    String shareUrl =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("share-url")))
            .getAttribute("value");
    assertThat(shareUrl).startsWith(base + "/");

    // Sign out: pages send us back to the login form.
    owner.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));
    owner.get(base + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));

    // A fresh browser (no cookies) opens the share link: the note renders as HTML.
    visitor =
        HeadlessChromium.start(dir.resolve("visitor-profile"), dir.resolve("visitor-downloads"));
    visitor.get(shareUrl);
    WebElement shared =
        new WebDriverWait(visitor, WAIT)
            .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("article h1")));
    assertThat(shared.getText()).isEqualTo("Plan");
    assertThat(visitor.findElement(By.cssSelector("article strong")).getText()).isEqualTo("bold");
    assertThat(visitor.findElement(By.tagName("body")).getText()).doesNotContain("laptop");

    // Signed in again, the owner revokes the link; it is then a 404.
    signIn(wait, token);
    owner.get(base + "/v/notes/shares");
    WebElement shares = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("shares")));
    assertThat(shares.getText()).contains("Projects/plan.md");
    shares.findElement(By.className("revoke")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-shares")));
    assertThat(fetch(shareUrl, null).statusCode()).isEqualTo(404);
    visitor.navigate().refresh();
    new WebDriverWait(visitor, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "not found"));
  }

  /**
   * With {@code -Dwebpage.screenshots=DIR}, saves a PNG of what {@code browser} shows, to look at
   * the pages; otherwise does nothing.
   */
  private static void screenshot(ChromeDriver browser, String name) throws IOException {
    String dir = System.getProperty("webpage.screenshots");
    if (dir != null) {
      Path out = Path.of(dir).resolve(name + ".png");
      java.nio.file.Files.createDirectories(out.getParent());
      java.nio.file.Files.write(out, browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }
  }

  private void signIn(WebDriverWait wait, String token) {
    owner.get(owner.getCurrentUrl().replaceAll("^(https?://[^/]+).*$", "$1") + "/login");
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));
    field.sendKeys(token);
    field.submit();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("vaults")));
  }

  private static HttpResponse<byte[]> fetch(String url, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(WAIT)
        .build()
        .send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String run(ServerCommand command, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute(args)).isZero();
    return out.toString();
  }

  /** Commits the puts; returns the seq of each applied change. */
  private static List<Long> commit(GrpcVaultTransport device, Mutation... puts) throws IOException {
    List<Outcome> outcomes = device.commit("notes", List.of(puts), "laptop");
    return outcomes.stream().map(o -> ((Outcome.Applied) o).change().seq()).toList();
  }
}
