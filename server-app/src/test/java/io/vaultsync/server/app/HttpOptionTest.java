package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vaultsync server --http ADDR [--public-url URL]}: checked like --listen, then served. */
@Timeout(120)
class HttpOptionTest {
  @TempDir Path dir;

  private static int run(ServerCommand command, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void plaintextHttpOnANonLoopbackAddressIsRefusedWithoutInsecure() {
    StringWriter err = new StringWriter();
    int code = run(new ServerCommand(), err, "--data", dir.toString(), "--http", "0.0.0.0:7421");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("refusing to serve plaintext HTTP on 0.0.0.0");
  }

  @Test
  void publicUrlWithoutHttpOrNotAUrlIsRefused() {
    StringWriter err = new StringWriter();
    assertThat(
            run(
                new ServerCommand(),
                err,
                "--data",
                dir.toString(),
                "--public-url",
                "https://notes.example"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--public-url needs --http");
    StringWriter err2 = new StringWriter();
    assertThat(
            run(
                new ServerCommand(),
                err2,
                "--data",
                dir.toString(),
                "--http",
                "127.0.0.1:0",
                "--public-url",
                "ftp://x"))
        .isEqualTo(2);
    assertThat(err2.toString()).contains("expected http(s)://HOST");
  }

  /** A server the command runs in the background; closing stops it and expects exit code 0. */
  private record Serving(
      ServerCommand.Running running,
      CompletableFuture<Void> stop,
      CompletableFuture<Integer> result)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      stop.complete(null);
      assertThat(result.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  /**
   * Starts {@code vaultsync server --data DIR --listen 127.0.0.1:0 --http 127.0.0.1:0 EXTRA...}.
   */
  private Serving serve(String... extra) throws Exception {
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<ServerCommand.Running> started = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, started::complete);
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--data", dir.toString(), "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"));
    args.addAll(List.of(extra));
    CompletableFuture<Integer> result =
        CompletableFuture.supplyAsync(
            () -> run(command, new StringWriter(), args.toArray(String[]::new)));
    try {
      return new Serving(started.get(30, TimeUnit.SECONDS), stop, result);
    } catch (Exception e) {
      stop.complete(null);
      throw e;
    }
  }

  @Test
  void serverWithHttpServesTheLoginPageBesideGrpc() throws Exception {
    try (Serving server = serve()) {
      ServerCommand.Running running = server.running();
      assertThat(running.httpPort()).isPositive().isNotEqualTo(running.port());
      HttpResponse<String> login =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + running.httpPort() + "/login"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.body()).contains("Device token");
    }
  }

  /**
   * Runs {@code vaultsync server --data DIR/data --http 127.0.0.1:0 OPTION VALUE}, which must stop
   * before anything starts: exit 2 and one line on stderr naming the value.
   */
  private void refusedInOneLine(String option, String value, String line) {
    CommandRun run =
        CommandRun.run(
            "--data", dir.resolve("data").toString(), "--http", "127.0.0.1:0", option, value);
    assertThat(run.code()).as(value).isEqualTo(2);
    assertThat(run.err()).as(value).isEqualTo("vaultsync server: " + line + System.lineSeparator());
  }

  /** Without {@code --http}, {@code option} is one line and exit 2. */
  private void needsHttp(String option, String value) {
    CommandRun run = CommandRun.run("--data", dir.resolve("data").toString(), option, value);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("vaultsync server: " + option + " needs --http ADDR");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  /** Issue 15: {@code --cors-origin} takes exact origins only, checked before anything starts. */
  @Test
  void aCorsOriginThatIsNotAnOriginIsOneLineAndExit2() {
    for (String value :
        List.of(
            "notes.example.org",
            "https://notes.example.org/",
            "https://notes.example.org/app",
            "https://Notes.example.org",
            "https://user@notes.example.org",
            "*")) {
      refusedInOneLine(
          "--cors-origin",
          value,
          "--cors-origin \""
              + value
              + "\"; expected an origin, scheme://host[:port] with no path (e.g."
              + " https://notes.example.org)");
    }
    needsHttp("--cors-origin", "https://a.example");
  }

  /**
   * Issue 15: {@code vaultsync server --http} serves the browser face, with CORS for {@code
   * --cors-origin} (and Obsidian's origins), refusing calls without a device token as the gRPC port
   * does.
   */
  @Test
  void serverWithHttpServesTheBrowserFaceWithItsCorsOrigins() throws Exception {
    try (Serving server = serve("--cors-origin", "https://notes.example.org:8443")) {
      URI call =
          URI.create(
              "http://127.0.0.1:"
                  + server.running().httpPort()
                  + "/vaultsync.v1.VaultSync/ListVaults");
      HttpClient client = HttpClient.newHttpClient();
      for (String origin : List.of("https://notes.example.org:8443", "app://obsidian.md")) {
        HttpResponse<String> preflight =
            client.send(
                HttpRequest.newBuilder(call)
                    .header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(origin);
      }
      HttpResponse<String> refused =
          client.send(
              HttpRequest.newBuilder(call)
                  .header("Content-Type", "application/proto")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("unauthenticated");
    }
  }

  /** Issue 14: {@code --trusted-proxy} takes IP addresses only, checked before anything starts. */
  @Test
  void aTrustedProxyThatIsNotAnIpAddressIsOneLineAndExit2() {
    for (String value : List.of("nonsense", "10.0.0.1,proxy.example.org", "10.0.0")) {
      String bad = value.substring(value.indexOf(',') + 1);
      refusedInOneLine(
          "--trusted-proxy",
          value,
          "--trusted-proxy \""
              + bad
              + "\" is not an IP address; expected e.g. 10.0.0.5 or fd00::5");
    }
    needsHttp("--trusted-proxy", "10.0.0.1");
  }

  /**
   * Issue 14: the server started with {@code --trusted-proxy 127.0.0.1} counts sign-in attempts per
   * forwarded client (the test's requests come from 127.0.0.1, as a local proxy's would).
   */
  @Test
  void serverBehindATrustedProxyLimitsSignInsPerForwardedClient() throws Exception {
    try (Serving server = serve("--trusted-proxy", "192.0.2.1,127.0.0.1")) {
      HttpClient client = HttpClient.newHttpClient();
      URI login = URI.create("http://127.0.0.1:" + server.running().httpPort() + "/login");
      java.util.function.IntFunction<HttpRequest> from =
          n ->
              HttpRequest.newBuilder(login)
                  .timeout(Duration.ofSeconds(10))
                  .header("X-Forwarded-For", "203.0.113." + n)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("token=not-a-token"))
                  .build();
      for (int i = 0; i < 10; i++) {
        assertThat(client.send(from.apply(1), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(401);
      }
      assertThat(client.send(from.apply(1), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(429);
      assertThat(client.send(from.apply(2), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
    }
  }
}
