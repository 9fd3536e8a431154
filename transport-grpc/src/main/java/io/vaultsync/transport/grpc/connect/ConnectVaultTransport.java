package io.vaultsync.transport.grpc.connect;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import io.vaultsync.transport.grpc.WireStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link VaultTransport} over the server's browser face: Connect unary calls ({@code POST
 * {base}/vaultsync.v1.VaultSync/{Method}}, protobuf bodies) over HTTP/1.1 with {@link HttpClient},
 * what the Obsidian plugin speaks, in Java, so that the protocol's contract suite runs through it.
 *
 * <p>It is the gRPC client ({@link GrpcVaultTransport#unaryOver}) over a channel whose calls are
 * HTTP requests ({@link ConnectChannel}): the same messages, retries, deadlines and one mapping of
 * a status and its trailers to the protocol's exceptions. Only unary calls: a subscription is a
 * loop of {@code WaitChanges} long polls on a daemon thread, a manifest {@code GetManifestPage}
 * pages at one seq, a download {@code FetchPage} pages, a push or give-back {@code UploadPart}
 * parts of at most 4 MiB (each with the {@code Vaultsync-Upload} header). Only the latest
 * snapshot's manifest can be read (no unary call lists older snapshots). Thread-safe.
 */
public final class ConnectVaultTransport implements VaultTransport {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService executor;
  private final GrpcVaultTransport client;

  private ConnectVaultTransport(ExecutorService executor, GrpcVaultTransport client) {
    this.executor = executor;
    this.client = client;
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
    return new ConnectVaultTransport(
        executor,
        GrpcVaultTransport.unaryOver(
            new ConnectChannel(http, base, executor),
            Objects.requireNonNull(token, "token"),
            options));
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

  /** Bytes of protobuf messages this client has sent and received (bodies, not HTTP headers). */
  public WireStats wireStats() {
    return client.wireStats();
  }

  @Override
  public void createVault(String vault) throws IOException {
    client.createVault(vault);
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    return client.listVaults();
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    return client.changesSince(vault, afterSeq, limit);
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    return client.subscribe(vault, afterSeq, listener);
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return client.manifest(vault);
  }

  @Override
  public VaultRoot root(String vault) throws IOException {
    return client.root(vault);
  }

  @Override
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    client.fetch(vault, target, base, deltaOut);
  }

  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    client.fetchMany(vault, items, receiver);
  }

  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    return client.push(vault, path, base, delta, device);
  }

  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    return client.giveBack(vault, hash, delta, device);
  }

  @Override
  public List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    return client.commit(vault, mutations, device, options);
  }

  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    return client.history(vault, path, beforeSeq, limit);
  }

  @Override
  public long seqAt(String vault, Instant time) throws IOException {
    return client.seqAt(vault, time);
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    return client.manifestAt(vault, seq);
  }

  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    return client.snapshot(vault, createNow);
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    return client.snapshotManifest(vault, seq);
  }

  @Override
  public CreatedShare createShare(
      String vault, NotePath path, Instant expires, char[] password, String device)
      throws IOException {
    return client.createShare(vault, path, expires, password, device);
  }

  @Override
  public List<ShareInfo> listShares(String vault) throws IOException {
    return client.listShares(vault);
  }

  @Override
  public void revokeShare(String vault, String id) throws IOException {
    client.revokeShare(vault, id);
  }

  /** Ends the client's threads; calls still running fail. */
  @Override
  public void close() throws IOException {
    client.close();
    executor.shutdownNow();
  }
}
