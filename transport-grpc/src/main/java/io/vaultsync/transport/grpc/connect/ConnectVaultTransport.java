package io.vaultsync.transport.grpc.connect;

import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link VaultTransport} over the server's browser face: Connect unary calls ({@code POST
 * {base}/vaultsync.v1.VaultSync/{Method}}, protobuf bodies) over HTTP/1.1 with {@link HttpClient},
 * what the Obsidian plugin speaks, in Java, so that the protocol's contract suite runs through it.
 *
 * <p>It is the gRPC client in its unary-only form ({@link GrpcVaultTransport#unaryOver}) over a
 * channel whose calls are HTTP requests ({@link ConnectChannel}): the same messages, retries,
 * deadlines and one mapping of a status and its trailers to the protocol's exceptions. A
 * subscription is a loop of {@code WaitChanges} long polls on a daemon thread, a manifest {@code
 * GetManifestPage} pages at one seq, a download {@code FetchPage} pages, a push or give-back {@code
 * UploadPart} parts of at most 4 MiB (each with the {@code Vaultsync-Upload} header). Only the
 * latest snapshot's manifest can be read (no unary call lists older snapshots). {@link
 * #wireStats()} counts protobuf message bytes, not HTTP headers. Thread-safe.
 */
public final class ConnectVaultTransport extends GrpcVaultTransport {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService executor;

  private ConnectVaultTransport(
      ConnectChannel channel, ExecutorService executor, String token, GrpcClientOptions options) {
    super(channel, token, options);
    this.executor = executor;
  }

  /**
   * A client of the server whose HTTP endpoint is {@code baseUrl} ({@code http://127.0.0.1:7421});
   * the device {@code token} goes with every call as {@code Authorization: Bearer}.
   *
   * @throws IllegalArgumentException if {@code baseUrl} is not an http(s) URL, or if it is
   *     plaintext http to an address that is not loopback (tokens and notes would cross the network
   *     unencrypted)
   */
  public static ConnectVaultTransport connect(
      String baseUrl, String token, GrpcClientOptions options) {
    URI base = base(baseUrl);
    Objects.requireNonNull(token, "token");
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "vaultsync-connect-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    try {
      return new ConnectVaultTransport(
          new ConnectChannel(http, base, executor), executor, token, options);
    } catch (RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  /** {@code text} as a base URI ending in {@code /}, checked. */
  static URI base(String text) {
    URI u;
    try {
      u = URI.create(text.endsWith("/") ? text : text + "/");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "server URL \"" + text + "\" is not a URL; expected http(s)://HOST:PORT");
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException(
          "server URL \"" + text + "\"; expected http(s)://HOST:PORT");
    }
    if ("http".equals(u.getScheme()) && !loopback(u.getHost())) {
      throw new IllegalArgumentException(
          "refusing plaintext http to "
              + u.getHost()
              + ", which is not a loopback address: the device token would cross the network"
              + " unencrypted; use https");
    }
    return u;
  }

  private static boolean loopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  /** Ends the client's threads; calls still running fail. */
  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      executor.shutdownNow();
    }
  }
}
