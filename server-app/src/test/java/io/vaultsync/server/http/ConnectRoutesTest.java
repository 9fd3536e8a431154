package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
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
    face = BrowserFaceServer.start(data, 32 << 20, options);
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
    // Only what a protobuf answer needs: no page headers (CSP, framing, referrer) on every call.
    assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(r.headers().map())
        .doesNotContainKeys("content-security-policy", "x-frame-options", "referrer-policy");
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

  /** What a browser client reads of a stale push: 409, aborted, the current version in base64. */
  @Test
  void aStaleUploadAnswersTheCurrentVersionInATrailerHeaderAsABrowserReadsIt() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    RemoteEntryOf a = pushed("a.md", "first");
    byte[] part =
        io.vaultsync.transport.grpc.v1.UploadPartRequest.newBuilder()
            .setUploadId("stale-upload-0123456789")
            .setHeader(
                io.vaultsync.transport.grpc.v1.PushHeader.newBuilder()
                    .setVault(VAULT)
                    .setPath("a.md"))
            .setData(
                com.google.protobuf.ByteString.copyFrom(
                    io.vaultsync.server.TestDeltas.delta(
                        "second".getBytes(StandardCharsets.UTF_8))))
            .setLast(true)
            .build()
            .toByteArray();
    HttpResponse<String> r =
        send(
            post("UploadPart", part)
                .header("Authorization", "Bearer " + token)
                .header("Vaultsync-Upload", "stale-upload-0123456789"));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).startsWith("{\"code\":\"aborted\"");
    String header = r.headers().firstValue("trailer-vaultsync-current-bin").orElseThrow();
    assertThat(header.length() % 4).as("padded base64").isZero();
    var current =
        io.vaultsync.transport.grpc.v1.RemoteEntry.parseFrom(
            java.util.Base64.getDecoder().decode(header));
    assertThat(current.getPath()).isEqualTo("a.md");
    assertThat(current.getSeq()).isEqualTo(a.seq());
    assertThat(current.getHash().toByteArray()).isEqualTo(a.hash());
  }

  /** What a browser client reads of a refused mass delete: the counts in a trailer header. */
  @Test
  void aRefusedMassDeleteAnswersItsCountsInATrailerHeader() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    var commit =
        io.vaultsync.transport.grpc.v1.CommitRequest.newBuilder()
            .setVault(VAULT)
            .setCompactOutcomes(true);
    for (int i = 0; i < 20; i++) {
      RemoteEntryOf e = pushed("n" + i + ".md", "note " + i);
      commit.addMutations(
          io.vaultsync.transport.grpc.v1.Mutation.newBuilder()
              .setDelete(
                  io.vaultsync.transport.grpc.v1.Delete.newBuilder()
                      .setPath("n" + i + ".md")
                      .setExpected(com.google.protobuf.ByteString.copyFrom(e.hash()))));
    }
    HttpResponse<String> r =
        send(
            post("Commit", commit.build().toByteArray())
                .header("Authorization", "Bearer " + token));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"code\":\"failed_precondition\"");
    assertThat(r.headers().firstValue("trailer-vaultsync-mass-delete")).isPresent();
  }

  /**
   * A 9 MiB file goes up in three UploadPart parts (4 + 4 + 1 MiB, each request far above the web
   * page's 64 KiB form limit) and comes back whole in FetchPage pages.
   */
  @Test
  void aLargeFileGoesUpInPartsAndComesBackInPages() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS);
    byte[] content = new byte[9 << 20];
    long seed = System.nanoTime();
    new java.util.Random(seed).nextBytes(content);
    try (ConnectVaultTransport client =
        ConnectVaultTransport.connect(face.url(), token, GrpcClientOptions.DEFAULTS)) {
      var e =
          client.push(
              VAULT,
              NotePath.of("big.bin"),
              null,
              new ByteArrayInputStream(io.vaultsync.server.TestDeltas.delta(content)),
              "laptop");
      assertThat(e.hash()).as("seed " + seed).isEqualTo(ContentHash.digestOf(content));
      java.io.ByteArrayOutputStream delta = new java.io.ByteArrayOutputStream();
      client.fetch(VAULT, e.hash(), null, delta);
      assertThat(delta.size()).isGreaterThan(content.length);
      assertThat(client.wireStats().bytesSent()).isGreaterThan(content.length);
    }
  }

  /** A file pushed by the Java client of the face: its seq and hash bytes. */
  private record RemoteEntryOf(long seq, byte[] hash) {}

  private RemoteEntryOf pushed(String path, String text) throws IOException {
    try (ConnectVaultTransport client =
        ConnectVaultTransport.connect(face.url(), token, GrpcClientOptions.DEFAULTS)) {
      var e =
          client.push(
              VAULT,
              NotePath.of(path),
              null,
              new ByteArrayInputStream(
                  io.vaultsync.server.TestDeltas.delta(text.getBytes(StandardCharsets.UTF_8))),
              "laptop");
      return new RemoteEntryOf(e.seq(), e.hash().toBytes());
    }
  }

  @Test
  void preflightAllowsObsidiansOriginsAndCorsOriginOnlyAndExposesTheTrailers() throws Exception {
    start(BrowserFaceServer.Options.DEFAULTS.withCorsOrigins("https://notes.example.org"));
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

  /** ListVaults with {@code bearer}, forwarded by the trusted proxy for {@code client}. */
  private HttpResponse<String> listVaultsFrom(String client, String bearer)
      throws IOException, InterruptedException {
    return send(
        post("ListVaults", LIST)
            .header("Authorization", "Bearer " + bearer)
            .header("X-Forwarded-For", client));
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
    start(BrowserFaceServer.Options.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)));
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
    start(BrowserFaceServer.Options.DEFAULTS.withRevocationCheck(Duration.ofMillis(100)));
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
        BrowserFaceServer.Options.DEFAULTS.withTrustedProxies(InetAddress.getByName("127.0.0.1")));
    for (int i = 0; i < LoginRoutes.ATTEMPTS_PER_ADDRESS; i++) {
      assertThat(listVaultsFrom("203.0.113.9", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> over = listVaultsFrom("203.0.113.9", "wrong-again");
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.headers().firstValue("retry-after")).isPresent();
    assertThat(over.body()).contains("resource_exhausted");
    assertThat(listVaultsFrom("203.0.113.9", token).statusCode())
        .as("refused before the call")
        .isEqualTo(429);
    HttpResponse<String> another = listVaultsFrom("203.0.113.10", token);
    assertThat(another.statusCode()).as("another browser behind the proxy").isEqualTo(200);
  }
}
