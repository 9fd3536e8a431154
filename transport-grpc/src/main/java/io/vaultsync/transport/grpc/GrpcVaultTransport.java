package io.vaultsync.transport.grpc;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
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
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RestartableOutput;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link VaultTransport} that talks {@code vaultsync.v1} to a remote server over gRPC.
 *
 * <p>Every call carries the device token (as {@code authorization: Bearer}); the server takes the
 * device name from the token, so the {@code device} arguments of {@link #push} and {@link #commit}
 * are not sent. Failures arrive as the exceptions of delta-core ({@code StaleVersionException},
 * {@code NotFoundException}, {@code InvalidRequestException}, {@code AuthenticationException},
 * {@code RemoteUnavailableException}), see {@link StatusMapping}. A response the server should
 * never send (a 31-byte hash, a path that is not canonical) fails the call with an {@link
 * IOException} naming the bad value.
 *
 * <p><b>Time.</b> No call can wait forever ({@link GrpcClientOptions}): a unary call (and each
 * Commit call) has a deadline; a stream (the listings, Fetch, FetchMany, Push) is cancelled when
 * the server sends nothing, or takes nothing, for the stall timeout while the client waits on it;
 * Subscribe, idle by nature, relies on the channel's keepalive pings, which find a dead connection
 * within the keepalive time and timeout. A connection that fails is reported as what it was: {@code
 * RemoteUnavailableException} itself when the server was never reached, {@code
 * ConnectionLostException} when the connection broke (reset, closed, a server that died
 * mid-transfer), {@code RemoteStalledException} when the server went silent.
 *
 * <p><b>Retries</b> ({@link RetryPolicy}) of the failures after the server had been reached, for
 * what is safe to repeat: every read (ChangesSince, the listings, History, GetRoot, ...); Fetch
 * (from the start: once bytes reached {@code deltaOut}, only into a {@link RestartableOutput});
 * FetchMany, which resumes at the first item not finished and gives a cut item back to the receiver
 * ({@link FetchReceiver#abandon}); and each Commit call without deletes: a call whose answer was
 * lost was applied, and its retry finds its own new versions and answers {@code Stale} with them as
 * the current versions, which the client's next planning round records (a Commit with deletes is
 * not retried while the server counts a device's recent deletes for its mass-delete guard: a repeat
 * would count them twice). CreateVault, CreateShare, RevokeShare, a snapshot taken now, Push (its
 * delta is a stream read once) and Subscribe (the watcher reconnects itself) are not retried.
 *
 * <p>Bulk data streams in chunks of at most 1 MiB with flow control both ways: {@link #push} reads
 * the delta only as fast as the network takes it, {@link #fetch} asks for the next chunk only when
 * {@code deltaOut} has taken the last one.
 *
 * <p>Thread-safe: calls may run concurrently on one instance.
 *
 * <p>The calls are written per protocol role ({@link GrpcSyncCalls} with {@link GrpcFetchCalls},
 * {@link GrpcAdminCalls}, {@link GrpcHistoryCalls}, {@link GrpcShareCalls}) on what they share
 * ({@link GrpcCalls}: stubs, deadlines, retries, the stall watchdog, failure mapping); this class
 * owns the channel and composes them. Messages are built in {@link ToProto} and read in {@link
 * FromProto}, pushes framed by {@link PushSender}.
 *
 * <p>Not final only for {@code connect.ConnectVaultTransport}, this client over the browser face
 * ({@link #GrpcVaultTransport(Channel, String, GrpcClientOptions)}), which adds nothing but its
 * HTTP client's threads.
 */
public class GrpcVaultTransport implements VaultTransport {
  private final ManagedChannel owned;
  private final WireStatsCounter stats = new WireStatsCounter();
  private final GrpcCalls calls;
  private final GrpcSyncCalls sync;
  private final GrpcAdminCalls admin;
  private final GrpcHistoryCalls history;
  private final GrpcShareCalls shares;

  /** The calls of a client that makes unary calls only ({@link #unaryOver}), else null. */
  private final UnaryPages pages;

  private final UnaryUploads uploads;

  /**
   * A client over {@code channel} that makes unary calls only (see {@link #unaryOver}), for a
   * subclass that owns what the channel runs on and closes it after {@link #close}.
   */
  protected GrpcVaultTransport(Channel channel, String token, GrpcClientOptions options) {
    this(channel, null, token, options, true);
  }

  private GrpcVaultTransport(
      Channel channel,
      ManagedChannel owned,
      String token,
      GrpcClientOptions options,
      boolean unaryOnly) {
    this.owned = owned;
    // only a channel this client built has the zstd compressor (connect); any channel may read it
    ZstdPeer zstd = new ZstdPeer(owned != null);
    this.calls =
        new GrpcCalls(
            ClientInterceptors.intercept(Objects.requireNonNull(channel, "channel"), stats, zstd),
            new BearerTokenCredentials(Objects.requireNonNull(token, "token")),
            Objects.requireNonNull(options, "options"),
            stats,
            new CallRetrier(options.retry(), this::beforeRetry),
            zstd);
    this.sync = new GrpcSyncCalls(calls, this::fetchOneByOne);
    this.admin = new GrpcAdminCalls(calls);
    this.history = new GrpcHistoryCalls(calls);
    this.shares = new GrpcShareCalls(calls);
    this.pages = unaryOnly ? new UnaryPages(calls) : null;
    this.uploads = unaryOnly ? new UnaryUploads(calls) : null;
  }

  /**
   * Before a retry: after a stall, drops this client's own connection (the retry dials a new one;
   * calls still running on the old one finish there); then dials at once rather than after gRPC's
   * reconnect backoff.
   */
  private void beforeRetry(IOException failure) {
    if (owned != null && failure instanceof RemoteStalledException) {
      owned.enterIdle();
    }
    if (owned != null) {
      owned.resetConnectBackoff();
    }
  }

  /** A batch from a server older than FetchMany: one Fetch per item, as the interface does. */
  private void fetchOneByOne(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    VaultTransport.super.fetchMany(vault, items, receiver);
  }

  /**
   * A client over {@code channel} (a {@link ManagedChannel}, possibly intercepted), which the
   * caller owns: {@link #close} leaves it open. The channel's own maximum inbound message size
   * applies as well as {@code options}'.
   */
  public static GrpcVaultTransport over(Channel channel, String token, GrpcClientOptions options) {
    return new GrpcVaultTransport(channel, null, token, options, false);
  }

  /**
   * A client over {@code channel} that makes unary calls only, for a channel that cannot stream
   * (the browser face's, {@code connect.ConnectVaultTransport}): {@link #subscribe} is a loop of
   * {@code WaitChanges} long polls on a daemon thread; {@link #manifest}, {@link #manifestAt} and
   * {@link #snapshotManifest} (the latest snapshot only) read {@code GetManifestPage} pages at one
   * seq; {@link #fetch} and {@link #fetchMany} read {@code FetchPage} pages of at most 4 MiB;
   * {@link #push} and {@link #giveBack} send {@code UploadPart} parts of at most 4 MiB. The caller
   * owns the channel.
   */
  public static GrpcVaultTransport unaryOver(
      Channel channel, String token, GrpcClientOptions options) {
    return new GrpcVaultTransport(channel, null, token, options, true);
  }

  /**
   * Opens a channel to {@code target} ({@code host:port}) that this client owns and closes.
   *
   * @throws IllegalArgumentException if {@code security} is loopback-only plaintext and the target
   *     is not a loopback address
   * @throws IOException if the trusted CA file cannot be read
   */
  public static GrpcVaultTransport connect(
      String target, String token, ChannelSecurity security, GrpcClientOptions options)
      throws IOException {
    ManagedChannel channel =
        Grpc.newChannelBuilder(target, security.credentials(target))
            .maxInboundMessageSize(options.maxInboundMessageSize())
            .compressorRegistry(ZstdCodec.compressors())
            .decompressorRegistry(ZstdCodec.decompressors())
            .keepAliveTime(options.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(options.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveWithoutCalls(false)
            .build();
    try {
      return new GrpcVaultTransport(channel, channel, token, options, false);
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  /** Bytes this client has sent and received so far. */
  public WireStats wireStats() {
    return stats;
  }

  /** Not retried: a retry after a lost answer would find the vault and fail. */
  @Override
  public void createVault(String vault) throws IOException {
    admin.createVault(vault);
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    return admin.listVaults();
  }

  /**
   * {@inheritDoc}
   *
   * <p>One long-lived server-streaming call with no deadline and no stall timeout (a quiet vault
   * sends nothing for hours); the channel's keepalive finds a dead connection. The listener runs on
   * gRPC's callback threads, so it should hand work off rather than block. When the connection
   * drops the listener hears a {@link io.vaultsync.protocol.RemoteUnavailableException} (usually a
   * {@link io.vaultsync.protocol.ConnectionLostException}); subscribe again from the last seq
   * applied.
   */
  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    return subscribe(vault, afterSeq, listener, false);
  }

  /** {@inheritDoc} The server returns at most 10,000 changes (and ~2 MiB) per page. */
  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    return sync.changesSince(vault, afterSeq, limit);
  }

  /** {@inheritDoc} A server from before issue 16 answers per-file moves. */
  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    return sync.changesSince(vault, afterSeq, limit, folderMoves);
  }

  /**
   * {@inheritDoc} Known once a ChangesSince call asked for folder moves and the server said it
   * reads them; false before.
   */
  @Override
  public boolean takesFolderMoves() {
    return sync.takesFolderMoves();
  }

  @Override
  public Subscription subscribe(
      String vault, long afterSeq, ChangeListener listener, boolean folderMoves)
      throws IOException {
    if (pages != null) {
      java.util.Objects.requireNonNull(listener, "listener");
      VaultTransport.checkSeq("subscribe after seq", afterSeq);
      return new WaitChangesFeed(calls, vault, afterSeq, listener, WaitChangesFeed.WAIT)
          .withFolderMoves(folderMoves)
          .start();
    }
    return sync.subscribe(vault, afterSeq, listener, folderMoves);
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return pages != null
        ? pages.manifest(vault, 0, "reading the file list of vault " + vault)
        : sync.manifest(vault);
  }

  /**
   * {@inheritDoc} A server from before GetRoot (UNIMPLEMENTED) is answered from its manifest, as
   * the interface's default does.
   */
  @Override
  public VaultRoot root(String vault) throws IOException {
    return sync.root(vault);
  }

  /**
   * {@inheritDoc} Each chunk is written to {@code deltaOut} before the next is requested, so a slow
   * {@code deltaOut} slows the server down instead of filling memory. If writing fails, the call is
   * cancelled and the write's exception is thrown. A connection failure is retried while nothing
   * has been written to {@code deltaOut}, and after that only if {@code deltaOut} is a {@link
   * RestartableOutput} (restarted before the retry writes the delta again from its first byte).
   */
  @Override
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    if (pages != null) {
      pages.fetch(vault, target, base, deltaOut);
      return;
    }
    sync.fetch(vault, target, base, deltaOut);
  }

  /**
   * {@inheritDoc} One {@code FetchMany} call; each part is handed to {@code receiver} before the
   * next message is requested, so a slow receiver slows the server down. The framing is checked
   * (items in order, each begun once and ended once, parts of at most 1 MiB). A cut call is retried
   * for the items not finished yet: a cut item is first {@link FetchReceiver#abandon given back} to
   * the receiver (if it cannot take it back, the call fails). A server older than {@code FetchMany}
   * (UNIMPLEMENTED) is asked with one {@link #fetch} per item instead.
   */
  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    if (pages != null) {
      pages.fetchMany(vault, items, receiver);
      return;
    }
    sync.fetchMany(vault, items, receiver);
  }

  /**
   * {@inheritDoc} The delta streams in chunks of at most 1 MiB, sent only when the network is
   * ready. If reading {@code delta} fails, the call is cancelled, the server records nothing, and
   * the read's exception is thrown. The call is given up (and not retried: the delta is a stream,
   * read once) when the network takes no chunk for the stall timeout or the answer does not come
   * within the unary deadline of the last chunk. {@code device} is not sent: the server uses the
   * token's device.
   */
  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    return uploads != null
        ? uploads.push(vault, path, base, delta)
        : sync.push(vault, path, base, delta, device);
  }

  /**
   * {@inheritDoc} Streams like {@link #push} (the GiveBack RPC); an older server that does not know
   * the call takes nothing (false).
   */
  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    return uploads != null
        ? uploads.giveBack(vault, hash, delta)
        : sync.giveBack(vault, hash, delta, device);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A batch larger than one message may carry (500 mutations or ~7 MiB of encoded mutations,
   * mostly inline deltas) is sent as several Commit calls, in order, and their outcomes are
   * concatenated. Each call is atomic on its own, not the whole batch: if a later call fails (a
   * corrupt delta, the network), the earlier calls stay applied; retrying the whole batch is safe
   * because those mutations then come back {@link Outcome.Stale} with {@code current} equal to what
   * they made. A call that fails on the connection is retried the same way (see the class comment),
   * unless it carries deletes. {@code device} is not sent: the server uses the token's device.
   * {@code commitOptions} go with every call, so a server that checks mass deletes per call sees
   * the user's permission on each.
   */
  @Override
  public List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions commitOptions)
      throws IOException {
    return sync.commit(vault, mutations, device, commitOptions);
  }

  /**
   * {@inheritDoc} The server returns at most 1,000 versions (and ~2 MiB) per call. A server from
   * before History (UNIMPLEMENTED) answers {@link io.vaultsync.protocol.NotFoundException}.
   */
  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    return history.history(vault, path, beforeSeq, limit);
  }

  @Override
  public long seqAt(String vault, Instant time) throws IOException {
    return history.seqAt(vault, time);
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    if (pages == null) {
      return history.manifestAt(vault, seq);
    }
    VaultTransport.checkSeq("manifest at seq", seq);
    if (seq == 0) {
      changesSince(vault, 0, 1); // an unknown vault is NOT_FOUND; at seq 0 it held nothing
      return new RemoteManifest(0, List.of());
    }
    RemoteManifest m = pages.manifest(vault, seq, "reading the file list at seq " + seq);
    if (m.headSeq() > seq) {
      throw GrpcCalls.malformed("the manifest at seq " + seq + " says " + m.headSeq());
    }
    return m;
  }

  /**
   * {@inheritDoc} A server from before GetSnapshot (UNIMPLEMENTED) answers NotFoundException.
   * Retried only when it takes no snapshot ({@code createNow} false).
   */
  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    return history.snapshot(vault, createNow);
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    if (pages == null) {
      return history.snapshotManifest(vault, seq);
    }
    // Pages at the snapshot's seq (what the snapshot pins is read at that seq). No unary call
    // lists the older snapshots, so only the latest one is read this way.
    VaultTransport.checkSeq("snapshot seq", seq);
    long latest = snapshot(vault, false).seq();
    if (latest != seq) {
      throw new io.vaultsync.protocol.NotFoundException(
          "no snapshot at seq "
              + seq
              + " of vault \""
              + vault
              + "\" that this client can read: over unary calls only the latest one (seq "
              + latest
              + ") is read");
    }
    RemoteManifest m =
        pages.manifest(vault, seq, "reading the file list of the snapshot at seq " + seq);
    if (m.headSeq() != seq) {
      throw GrpcCalls.malformed("snapshot " + seq + " at seq " + m.headSeq());
    }
    return m;
  }

  /** Not retried: a retry after a lost answer would make a second link. */
  @Override
  public CreatedShare createShare(
      String vault, NotePath path, Instant expires, char[] password, String device)
      throws IOException {
    return shares.createShare(vault, path, expires, password, device);
  }

  @Override
  public List<ShareInfo> listShares(String vault) throws IOException {
    return shares.listShares(vault);
  }

  /** Not retried: a retry after a lost answer would find no such link. */
  @Override
  public void revokeShare(String vault, String id) throws IOException {
    shares.revokeShare(vault, id);
  }

  /**
   * Closes the channel if this client opened it ({@link #connect}); waits up to 5 s for calls still
   * running. After a connection failure it closes at once: a graceful close over a stalled
   * connection would only wait out those 5 s.
   */
  @Override
  public void close() throws IOException {
    if (owned == null) {
      return;
    }
    if (calls.connectionFailed()) {
      owned.shutdownNow();
      return;
    }
    owned.shutdown();
    try {
      if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
        owned.shutdownNow();
      }
    } catch (InterruptedException e) {
      owned.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
