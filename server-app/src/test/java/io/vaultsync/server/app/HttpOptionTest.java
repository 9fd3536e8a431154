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

  @Test
  void serverWithHttpServesTheLoginPageBesideGrpc() throws Exception {
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<ServerCommand.Running> started = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, started::complete);
    CompletableFuture<Integer> result =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    command,
                    new StringWriter(),
                    "--data",
                    dir.toString(),
                    "--listen",
                    "127.0.0.1:0",
                    "--http",
                    "127.0.0.1:0"));
    ServerCommand.Running running = started.get(30, TimeUnit.SECONDS);
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
    stop.complete(null);
    assertThat(result.get(30, TimeUnit.SECONDS)).isZero();
  }
}
