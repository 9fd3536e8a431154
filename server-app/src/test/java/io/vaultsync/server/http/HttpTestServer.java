package io.vaultsync.server.http;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.net.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A server data folder with one device token ({@link #token}, device {@value #DEVICE}) and an HTTP
 * endpoint on 127.0.0.1, port 0, serving the given route groups; plus a {@link HttpClient} that
 * follows no redirects. For tests of any {@link HttpRoutes}.
 */
public final class HttpTestServer implements AutoCloseable {
  public static final String DEVICE = "laptop";

  public final ServerData data;
  public final String token;
  public final HttpServices services;
  public final HttpEndpoint.Running endpoint;
  public final HttpClient client;
  private final String scheme;
  private final boolean ownsData;

  private HttpTestServer(
      ServerData data,
      String token,
      HttpServices services,
      HttpEndpoint.Running endpoint,
      HttpClient client,
      String scheme,
      boolean ownsData) {
    this.ownsData = ownsData;
    this.data = data;
    this.token = token;
    this.services = services;
    this.endpoint = endpoint;
    this.client = client;
    this.scheme = scheme;
  }

  /** Plaintext on 127.0.0.1. */
  public static HttpTestServer start(Path dir, List<HttpRoutes> routes) throws IOException {
    return start(dir, routes, null, HttpClient.newBuilder());
  }

  /** With {@code tls} (null: plaintext); {@code client} is built with redirects off. */
  public static HttpTestServer start(
      Path dir, List<HttpRoutes> routes, TlsFiles tls, HttpClient.Builder client)
      throws IOException {
    return start(dir, routes, tls, client, UnaryOperator.identity(), Clock.systemUTC());
  }

  /** Plaintext on 127.0.0.1, the server's clock {@code clock}. */
  public static HttpTestServer start(Path dir, List<HttpRoutes> routes, Clock clock)
      throws IOException {
    return start(dir, routes, null, HttpClient.newBuilder(), UnaryOperator.identity(), clock);
  }

  /** As above, the handlers reading content through {@code content} applied to the store's. */
  public static HttpTestServer start(
      Path dir,
      List<HttpRoutes> routes,
      TlsFiles tls,
      HttpClient.Builder client,
      UnaryOperator<ContentReader> content,
      Clock clock)
      throws IOException {
    return start(
        dir,
        new Endpoint(
            routes, tls, client, content, HttpState.inMemory(clock), ClientAddress.direct()),
        clock);
  }

  /**
   * Plaintext on 127.0.0.1 with the endpoint's state {@code state} (e.g. one shared with another
   * endpoint) and client addresses taken by {@code clients}.
   */
  public static HttpTestServer start(
      Path dir, List<HttpRoutes> routes, HttpState state, ClientAddress clients)
      throws IOException {
    return start(dir, Endpoint.plaintext(routes, state, clients), Clock.systemUTC());
  }

  /** How an endpoint of a test serves. */
  private record Endpoint(
      List<HttpRoutes> routes,
      TlsFiles tls,
      HttpClient.Builder client,
      UnaryOperator<ContentReader> content,
      HttpState state,
      ClientAddress clients) {
    static Endpoint plaintext(List<HttpRoutes> routes, HttpState state, ClientAddress clients) {
      return new Endpoint(
          routes, null, HttpClient.newBuilder(), UnaryOperator.identity(), state, clients);
    }
  }

  private static HttpTestServer start(Path dir, Endpoint endpoint, Clock clock) throws IOException {
    ServerData data = ServerData.open(dir.resolve("data"), clock);
    try {
      String token = data.tokens().create(DEVICE);
      return serve(data, token, endpoint, true);
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
  }

  /**
   * A second endpoint on this one's data folder and device token, as another process of the same
   * server would be, with its own {@code state}; closing it leaves the data folder open.
   */
  public HttpTestServer another(List<HttpRoutes> routes, HttpState state) throws IOException {
    return serve(data, token, Endpoint.plaintext(routes, state, services.clients()), false);
  }

  private static HttpTestServer serve(
      ServerData data, String token, Endpoint setup, boolean ownsData) throws IOException {
    TlsFiles tls = setup.tls();
    HttpAuth auth = new HttpAuth(data.tokens(), setup.state(), tls != null);
    HttpServices services =
        new HttpServices(
            data.vaults(),
            setup.content().apply(ContentReader.of(data.content())),
            auth,
            data.shares(),
            setup.clients());
    HttpEndpoint.Running endpoint =
        HttpEndpoint.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            tls,
            services,
            setup.routes());
    data.shares()
        .baseUrl(URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + endpoint.port()));
    HttpClient http =
        setup
            .client()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    return new HttpTestServer(
        data, token, services, endpoint, http, tls == null ? "http" : "https", ownsData);
  }

  /**
   * Creates vault {@code notes} (if missing) with {@code note} holding {@code text} and a link to
   * it protected by {@code password}; returns the link's path ({@code /s/TOKEN}).
   */
  public String passwordShare(String note, String text, String password) throws IOException {
    if (data.vaults().listVaults().stream().noneMatch(v -> v.name().equals("notes"))) {
      data.vaults().createVault("notes");
    }
    VaultNotes.put(data.vaults(), "notes", note, text);
    CreatedShare c =
        data.shares()
            .create(VaultName.of("notes"), NotePath.of(note), null, password.toCharArray(), DEVICE);
    return c.url().substring(c.url().indexOf("/s/"));
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code pathAndQuery} (sent as written). */
  public URI uri(String pathAndQuery) {
    return URI.create(scheme + "://127.0.0.1:" + endpoint.port() + pathAndQuery);
  }

  /** A GET with the device token as bearer. */
  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).header("Authorization", "Bearer " + token).GET().build());
  }

  /** A GET with no credentials. */
  public HttpResponse<String> anonymousGet(String pathAndQuery)
      throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET().build());
  }

  /** A POST of an url-encoded form, e.g. {@code form("token", t)}. */
  public HttpResponse<String> postForm(String path, String cookie, String... keysAndValues)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(keysAndValues)));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return send(b.build());
  }

  /** A request builder for {@code pathAndQuery} with a timeout. */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Logs in with the device token; returns the {@code name=value} of the session cookie. */
  public String login() throws IOException, InterruptedException {
    HttpResponse<String> r = postForm("/login", null, "token", token);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static String form(String... keysAndValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(keysAndValues[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(keysAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      endpoint.close();
    } finally {
      if (ownsData) {
        data.close();
      }
    }
  }
}
