package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.connect.ConnectVaultTransport;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import io.vaultsync.transport.grpc.v1.WaitChangesRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser face on the HTTP port ({@link ConnectRoutes} and the bridge behind it), spoken as a
 * browser would: raw Connect requests with {@link HttpClient} (or a socket, where a request must
 * lie about its length).
 */
class ConnectRoutesTest {
  private static final String VAULT = "notes";

  @TempDir Path tmp;

  private ServerData data;
  private BrowserFaceServer face;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  private void start(BrowserFaceServer.Options options) throws IOException {
    data = ServerData.open(tmp.resolve("data"), Clock.systemUTC());
    face = BrowserFaceServer.start(data, 1 << 20, options);
    token = data.tokens().create("laptop");
    data.vaults().createVault(VAULT);
  }

  @AfterEach
  void stop() throws IOException {
    if (face != null) {
      face.close();
    }
    if (data != null) {
      data.close();
    }
  }

  private HttpRequest.Builder post(String method, byte[] body) {
    return HttpRequest.newBuilder(URI.create(face.url() + "/vaultsync.v1.VaultSync/" + method))
        .header("Content-Type", "application/proto")
        .header("Connect-Protocol-Version", "1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final byte[] LIST = ListVaultsRequest.getDefaultInstance().toByteArray();

  @Test
  void aCallWithTheDeviceTokenIsAnsweredInProtobuf() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    HttpResponse<byte[]> r =
        http.send(
            post("ListVaults", LIST).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/proto");
    assertThat(
            io.vaultsync.transport.grpc.v1.ListVaultsResponse.parseFrom(r.body()).getVaultsList())
        .extracting(v -> v.getName())
        .containsExactly(VAULT);
  }

  @Test
  void noTokenOrAnUnknownOneIsUnauthenticated() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    HttpResponse<String> none = send(post("ListVaults", LIST));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(none.body()).startsWith("{\"code\":\"unauthenticated\"");
    HttpResponse<String> bad =
        send(post("ListVaults", LIST).header("Authorization", "Bearer not-a-token"));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).contains("\"unauthenticated\"");
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    // Declares 9 MiB and sends none of it: the answer comes without waiting for the body.
    String response =
        RawHttp.exchange(
            face.port(),
            InetAddress.getByName("127.0.0.1"),
            "POST /vaultsync.v1.VaultSync/Commit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/proto\r\nAuthorization: Bearer "
                + token
                + "\r\nContent-Length: 9437184\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(response)).isEqualTo(429);
    assertThat(RawHttp.body(response))
        .contains("resource_exhausted")
        .contains("9437184")
        .contains("UploadPart");
  }

  @Test
  void aWrongContentTypeOrProtocolVersionIsRefusedInOneLine() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    HttpResponse<String> json =
        send(
            post("ListVaults", "{}".getBytes(StandardCharsets.UTF_8))
                .header("Authorization", "Bearer " + token)
                .setHeader("Content-Type", "application/json"));
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(json.body()).contains("application/json").contains("expected application/proto");
    HttpResponse<String> v2 =
        send(
            post("ListVaults", LIST)
                .header("Authorization", "Bearer " + token)
                .setHeader("Connect-Protocol-Version", "2"));
    assertThat(v2.statusCode()).isEqualTo(400);
    assertThat(v2.body()).contains("invalid_argument").contains("Connect-Protocol-Version");
  }

  @Test
  void anUnknownMethodIsUnimplementedAndAStreamingOneNamesItsUnaryAlternative() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    HttpResponse<String> unknown =
        send(post("DropTables", LIST).header("Authorization", "Bearer " + token));
    assertThat(unknown.statusCode()).isEqualTo(501);
    assertThat(unknown.body()).contains("\"unimplemented\"").contains("DropTables");
    HttpResponse<String> streaming =
        send(post("Subscribe", LIST).header("Authorization", "Bearer " + token));
    assertThat(streaming.statusCode()).isEqualTo(501);
    assertThat(streaming.body()).contains("Subscribe streams").contains("WaitChanges");
    HttpResponse<String> push = send(post("Push", LIST).header("Authorization", "Bearer " + token));
    assertThat(push.body()).contains("UploadPart");
  }

  @Test
  void aStalePushCarriesTheCurrentVersionAsATrailerHeader() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    try (ConnectVaultTransport client =
        ConnectVaultTransport.connect(face.url(), token, GrpcClientOptions.DEFAULTS)) {
      byte[] first = "first".getBytes(StandardCharsets.UTF_8);
      var a =
          client.push(
              VAULT,
              NotePath.of("a.md"),
              null,
              new ByteArrayInputStream(io.vaultsync.server.TestDeltas.delta(first)),
              "laptop");
      assertThatThrownBy(
              () ->
                  client.push(
                      VAULT,
                      NotePath.of("a.md"),
                      null,
                      new ByteArrayInputStream(io.vaultsync.server.TestDeltas.delta(first)),
                      "laptop"))
          .isInstanceOfSatisfying(
              StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(a));
    }
  }

  @Test
  void preflightAllowsObsidiansOriginsAndCorsOriginOnlyAndExposesTheTrailers() throws Exception {
    start(
        new BrowserFaceServer.Options(
            List.of("https://notes.example.org"),
            List.of(),
            HttpEndpoint.IDLE_TIMEOUT,
            Duration.ofSeconds(2)));
    for (String origin :
        List.of(
            "app://obsidian.md",
            "capacitor://localhost",
            "http://localhost",
            "https://notes.example.org")) {
      HttpResponse<String> r = send(preflight(origin));
      assertThat(r.statusCode()).as(origin).isEqualTo(204);
      assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(origin);
      assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("POST");
      assertThat(r.headers().firstValue("access-control-allow-headers").orElseThrow())
          .contains("authorization")
          .contains("connect-timeout-ms");
      assertThat(r.headers().firstValue("access-control-max-age")).hasValue("600");
      HttpResponse<String> call =
          send(
              post("ListVaults", LIST)
                  .header("Origin", origin)
                  .header("Authorization", "Bearer x"));
      assertThat(call.headers().firstValue("access-control-allow-origin")).hasValue(origin);
      assertThat(call.headers().firstValue("access-control-expose-headers").orElseThrow())
          .contains("trailer-vaultsync-current-bin")
          .contains("trailer-vaultsync-mass-delete");
    }
    for (String foreign : List.of("https://evil.example", "http://localhost:8080", "null")) {
      HttpResponse<String> r = send(preflight(foreign));
      assertThat(r.headers().map().keySet())
          .as(foreign)
          .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
      HttpResponse<String> call =
          send(
              post("ListVaults", LIST)
                  .header("Origin", foreign)
                  .header("Authorization", "Bearer x"));
      assertThat(call.headers().map().keySet())
          .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }
  }

  private HttpRequest.Builder preflight(String origin) {
    return HttpRequest.newBuilder(URI.create(face.url() + "/vaultsync.v1.VaultSync/WaitChanges"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
  }

  @Test
  void aLongPollOutlastsJettysIdleTimeout() throws Exception {
    // Jetty's idle timeout 300 ms (it closes an idle connection within about a second); a poll
    // waiting 3 s with no byte sent must still be answered (without the raise: 408 after ~1 s).
    start(
        new BrowserFaceServer.Options(
            List.of(), List.of(), Duration.ofMillis(300), Duration.ofSeconds(2)));
    byte[] wait =
        WaitChangesRequest.newBuilder()
            .setVault(VAULT)
            .setAfterSeq(0)
            .setLimit(10)
            .setWaitMillis(3000)
            .build()
            .toByteArray();
    try (java.net.Socket idle = new java.net.Socket("127.0.0.1", face.port())) {
      idle.setSoTimeout(10_000);
      assertThat(idle.getInputStream().read()).as("Jetty closes an idle connection").isEqualTo(-1);
    }
    long start = System.nanoTime();
    HttpResponse<byte[]> r =
        http.send(
            post("WaitChanges", wait).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ChangesSinceResponse.parseFrom(r.body()).getChangesCount()).isZero();
    assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(2900));
  }

  @Test
  void aRevokedTokensLongPollIsEnded() throws Exception {
    start(
        new BrowserFaceServer.Options(
            List.of(), List.of(), HttpEndpoint.IDLE_TIMEOUT, Duration.ofMillis(100)));
    byte[] wait =
        WaitChangesRequest.newBuilder()
            .setVault(VAULT)
            .setLimit(10)
            .setWaitMillis(60_000)
            .build()
            .toByteArray();
    CompletableFuture<HttpResponse<String>> poll =
        http.sendAsync(
            post("WaitChanges", wait).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> face.service.openCalls().size() == 1);
    data.tokens().revoke("laptop");
    HttpResponse<String> r = poll.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("device token revoked");
  }

  @Test
  void refusedTokensCountPerForwardedClientAddress() throws Exception {
    start(
        new BrowserFaceServer.Options(
            List.of(),
            List.of(InetAddress.getByName("127.0.0.1")),
            HttpEndpoint.IDLE_TIMEOUT,
            Duration.ofSeconds(2)));
    for (int i = 0; i < LoginRoutes.ATTEMPTS_PER_ADDRESS; i++) {
      HttpResponse<String> r =
          send(
              post("ListVaults", LIST)
                  .header("Authorization", "Bearer wrong-" + i)
                  .header("X-Forwarded-For", "203.0.113.9"));
      assertThat(r.statusCode()).isEqualTo(401);
    }
    HttpResponse<String> over =
        send(
            post("ListVaults", LIST)
                .header("Authorization", "Bearer wrong-again")
                .header("X-Forwarded-For", "203.0.113.9"));
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.headers().firstValue("retry-after")).isPresent();
    assertThat(over.body()).contains("resource_exhausted");
    HttpResponse<String> blocked =
        send(
            post("ListVaults", LIST)
                .header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", "203.0.113.9"));
    assertThat(blocked.statusCode()).as("refused before the call").isEqualTo(429);
    HttpResponse<String> another =
        send(
            post("ListVaults", LIST)
                .header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", "203.0.113.10"));
    assertThat(another.statusCode()).as("another browser behind the proxy").isEqualTo(200);
  }
}
