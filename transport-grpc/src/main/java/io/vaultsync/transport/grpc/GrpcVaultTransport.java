package io.vaultsync.transport.grpc;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.RestartableOutput;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.ChangesSinceRequest;
import io.vaultsync.transport.grpc.v1.CommitRequest;
import io.vaultsync.transport.grpc.v1.CommitResponse;
import io.vaultsync.transport.grpc.v1.CreateVaultRequest;
import io.vaultsync.transport.grpc.v1.DataChunk;
import io.vaultsync.transport.grpc.v1.FetchManyChunk;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchManyRequest;
import io.vaultsync.transport.grpc.v1.FetchPart;
import io.vaultsync.transport.grpc.v1.FetchRequest;
import io.vaultsync.transport.grpc.v1.GetManifestAtRequest;
import io.vaultsync.transport.grpc.v1.GetManifestRequest;
import io.vaultsync.transport.grpc.v1.GetRootRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotManifestRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotRequest;
import io.vaultsync.transport.grpc.v1.HistoryRequest;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import io.vaultsync.transport.grpc.v1.ManifestChunk;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.PushResponse;
import io.vaultsync.transport.grpc.v1.SeqAtRequest;
import io.vaultsync.transport.grpc.v1.SubscribeRequest;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
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
 * <p>Over 400 lines: the client half of every call of {@code vaultsync.v1}, each a few lines of
 * request, deadline and status mapping around the helpers they share here (streaming, retries, the
 * stall watchdog); messages are built in {@link ToProto} and read in {@link FromProto}, pushes
 * framed by {@link PushSender}. A class per protocol role is the next split.
 */
public final class GrpcVaultTransport implements VaultTransport {
  private final Channel channel;
  private final ManagedChannel owned;
  private final CallCredentials credentials;
  private final GrpcClientOptions options;
  private final WireStatsCounter stats = new WireStatsCounter();
  private final CallRetrier retrier;

  /** Whether a call failed on the connection (lost, stalled, unreachable): then close at once. */
  private volatile boolean connectionFailed;

  private GrpcVaultTransport(
      Channel channel, ManagedChannel owned, String token, GrpcClientOptions options) {
    this.channel = ClientInterceptors.intercept(Objects.requireNonNull(channel, "channel"), stats);
    this.owned = owned;
    this.credentials = new BearerTokenCredentials(Objects.requireNonNull(token, "token"));
    this.options = Objects.requireNonNull(options, "options");
    this.retrier = new CallRetrier(options.retry(), this::beforeRetry);
  }

  /**
   * Before a retry: after a stall, drops this client's own connection (the retry dials a new one;
   * calls still running on the old one finish there); then dials at once rather than after gRPC's
   * reconnect backoff.
   */
  private void beforeRetry(IOException failure) {
    if (owned != null && failure instanceof io.vaultsync.protocol.RemoteStalledException) {
      owned.enterIdle();
    }
    if (owned != null) {
      owned.resetConnectBackoff();
    }
  }

  /**
   * A client over {@code channel} (a {@link ManagedChannel}, possibly intercepted), which the
   * caller owns: {@link #close} leaves it open. The channel's own maximum inbound message size
   * applies as well as {@code options}'.
   */
  public static GrpcVaultTransport over(Channel channel, String token, GrpcClientOptions options) {
    return new GrpcVaultTransport(channel, null, token, options);
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
            .keepAliveTime(options.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(options.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveWithoutCalls(false)
            .build();
    try {
      return new GrpcVaultTransport(channel, channel, token, options);
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  /** Bytes this client has sent and received so far. */
  public WireStats wireStats() {
    return stats;
  }

  private VaultSyncGrpc.VaultSyncBlockingStub blocking(Duration deadline) {
    VaultSyncGrpc.VaultSyncBlockingStub stub =
        VaultSyncGrpc.newBlockingStub(channel)
            .withCallCredentials(credentials)
            .withMaxInboundMessageSize(options.maxInboundMessageSize())
            .withMaxOutboundMessageSize(Limits.MESSAGE_BYTES);
    return deadline == null
        ? stub
        : stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A unary call's stub, with the unary deadline. */
  private VaultSyncGrpc.VaultSyncBlockingStub unary() {
    return blocking(options.unaryDeadline());
  }

  /**
   * The exception a failed call throws: a connection failure as such ({@link
   * StatusMapping#toConnectionException}), else the server's answer ({@link
   * StatusMapping#toException}).
   */
  private IOException failure(
      StatusRuntimeException e,
      String what,
      StallWatchdog stall,
      Duration deadline,
      String vault,
      String path,
      ContentHash base) {
    IOException lost =
        StatusMapping.toConnectionException(e, what, stats.answered(), stall, deadline);
    if (lost != null) {
      connectionFailed = true;
      return lost;
    }
    return StatusMapping.toException(e, vault, path, base);
  }

  /** As {@link #failure} for a unary call with the unary deadline. */
  private IOException unaryFailure(StatusRuntimeException e, String what, String vault) {
    return failure(e, what, null, options.unaryDeadline(), vault, null, null);
  }

  /**
   * Runs a blocking server-streaming call under a {@link StallWatchdog}: {@code body} gets the
   * call's messages through {@link Messages}, which marks the waits. The call is cancelled when
   * {@code body} returns or throws (a no-op once it completed).
   */
  private <T> T streaming(String what, String vault, StreamBody<T> body) throws IOException {
    Context.CancellableContext ctx = Context.current().withCancellation();
    StallWatchdog stall =
        new StallWatchdog(
            options.stallTimeout(),
            () -> ctx.cancel(new java.util.concurrent.TimeoutException("stalled: " + what)));
    Context previous = ctx.attach();
    try {
      return body.run(blocking(null), stall);
    } catch (StatusRuntimeException e) {
      throw failure(e, what, stall, null, vault, null, null);
    } finally {
      stall.close();
      ctx.detach(previous);
      ctx.cancel(null); // ends the call if we stopped early; a no-op after it completed
    }
  }

  @FunctionalInterface
  private interface StreamBody<T> {
    T run(VaultSyncGrpc.VaultSyncBlockingStub stub, StallWatchdog stall) throws IOException;
  }

  /** {@code messages.hasNext()}, counting the wait as waiting on the server. */
  private static boolean hasNext(Iterator<?> messages, StallWatchdog stall) {
    stall.waiting();
    try {
      return messages.hasNext();
    } finally {
      stall.progressed();
    }
  }

  /** Not retried: a retry after a lost answer would find the vault and fail. */
  @Override
  public void createVault(String vault) throws IOException {
    try {
      unary().createVault(CreateVaultRequest.newBuilder().setVault(vault).build());
    } catch (StatusRuntimeException e) {
      throw unaryFailure(e, "creating vault " + vault, vault);
    }
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    return retrier.call(
        () -> {
          try {
            var response = unary().listVaults(ListVaultsRequest.getDefaultInstance());
            List<VaultInfo> out = new ArrayList<>(response.getVaultsCount());
            for (var v : response.getVaultsList()) {
              out.add(decode(() -> FromProto.vaultInfo(v)));
            }
            return out;
          } catch (StatusRuntimeException e) {
            throw unaryFailure(e, "listing the vaults", null);
          }
        });
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
    Objects.requireNonNull(listener, "listener");
    VaultTransport.checkSeq("subscribe after seq", afterSeq);
    SubscribeCall call = new SubscribeCall(vault, afterSeq, listener, stats::answered);
    VaultSyncGrpc.newStub(channel)
        .withCallCredentials(credentials)
        .withMaxInboundMessageSize(options.maxInboundMessageSize())
        .subscribe(
            SubscribeRequest.newBuilder().setVault(vault).setAfterSeq(afterSeq).build(), call);
    return call;
  }

  /** {@inheritDoc} The server returns at most 10,000 changes (and ~2 MiB) per page. */
  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    VaultTransport.checkChangesArguments(afterSeq, limit);
    return retrier.call(
        () -> {
          try {
            var response =
                unary()
                    .changesSince(
                        ChangesSinceRequest.newBuilder()
                            .setVault(vault)
                            .setAfterSeq(afterSeq)
                            .setLimit(limit)
                            .build());
            if (response.getChangesCount() > limit) {
              throw new IOException(
                  "malformed response from the remote: "
                      + response.getChangesCount()
                      + " changes for a limit of "
                      + limit);
            }
            return decode(() -> FromProto.changePage(response));
          } catch (StatusRuntimeException e) {
            throw unaryFailure(e, "asking for the changes after seq " + afterSeq, vault);
          }
        });
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return readManifest(
        vault,
        "reading the file list of vault " + vault,
        stub -> stub.getManifest(GetManifestRequest.newBuilder().setVault(vault).build()));
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    VaultTransport.checkSeq("snapshot seq", seq);
    RemoteManifest m =
        readManifest(
            vault,
            "reading the file list of the snapshot at seq " + seq,
            stub ->
                stub.getSnapshotManifest(
                    GetSnapshotManifestRequest.newBuilder().setVault(vault).setSeq(seq).build()));
    if (m.headSeq() != seq) {
      throw new IOException(
          "malformed response from the remote: snapshot " + seq + " at seq " + m.headSeq());
    }
    return m;
  }

  /**
   * {@inheritDoc} The server returns at most 1,000 versions (and ~2 MiB) per call. A server from
   * before History (UNIMPLEMENTED) answers {@link io.vaultsync.protocol.NotFoundException}.
   */
  @Override
  public List<io.vaultsync.protocol.Change> history(
      String vault, NotePath path, long beforeSeq, int limit) throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    HistoryRequest.Builder request =
        HistoryRequest.newBuilder().setVault(vault).setBeforeSeq(beforeSeq).setLimit(limit);
    if (path != null) {
      request.setPath(path.value());
    }
    return retrier.call(
        () -> {
          try {
            var response = unary().history(request.build());
            return decode(() -> FromProto.history(response, path, beforeSeq, limit));
          } catch (StatusRuntimeException e) {
            throw unimplementedOr(e, vault, "history", "reading the history");
          }
        });
  }

  @Override
  public long seqAt(String vault, Instant time) throws IOException {
    Objects.requireNonNull(time, "time");
    long millis;
    try {
      millis = time.toEpochMilli();
    } catch (ArithmeticException e) {
      millis = time.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    SeqAtRequest request = SeqAtRequest.newBuilder().setVault(vault).setTimeMillis(millis).build();
    return retrier.call(
        () -> {
          try {
            var response = unary().seqAt(request);
            if (response.getSeq() < 0) {
              throw new IOException(
                  "malformed response from the remote: seq " + response.getSeq() + " for a time");
            }
            return response.getSeq();
          } catch (StatusRuntimeException e) {
            throw unimplementedOr(e, vault, "history", "finding the seq at " + time);
          }
        });
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    VaultTransport.checkSeq("manifest at seq", seq);
    RemoteManifest m =
        readManifest(
            vault,
            "reading the file list at seq " + seq,
            stub ->
                stub.getManifestAt(
                    GetManifestAtRequest.newBuilder().setVault(vault).setSeq(seq).build()));
    if (m.headSeq() > seq) {
      throw new IOException(
          "malformed response from the remote: the manifest at seq "
              + seq
              + " says "
              + m.headSeq());
    }
    return m;
  }

  /**
   * UNIMPLEMENTED (a server from before issue 5) as a {@link
   * io.vaultsync.protocol.NotFoundException} that says so; anything else as usual.
   */
  private IOException unimplementedOr(
      StatusRuntimeException e, String vault, String what, String doing) {
    if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
      return new io.vaultsync.protocol.NotFoundException(
          "the server keeps no " + what + " (it is older than vaultsync's history support)");
    }
    return unaryFailure(e, doing, vault);
  }

  /**
   * {@inheritDoc} A server from before GetRoot (UNIMPLEMENTED) is answered from its manifest, as
   * the interface's default does.
   */
  @Override
  public VaultRoot root(String vault) throws IOException {
    VaultRoot root =
        retrier.call(
            () -> {
              try {
                var r = unary().getRoot(GetRootRequest.newBuilder().setVault(vault).build());
                return decode(() -> FromProto.vaultRoot(r));
              } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                  return null;
                }
                throw unaryFailure(e, "reading the root of vault " + vault, vault);
              }
            });
    return root != null ? root : VaultTransport.super.root(vault);
  }

  /**
   * {@inheritDoc} A server from before GetSnapshot (UNIMPLEMENTED) answers NotFoundException.
   * Retried only when it takes no snapshot ({@code createNow} false).
   */
  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    CallRetrier.Attempt<SnapshotInfo> call =
        () -> {
          try {
            var r =
                unary()
                    .getSnapshot(
                        GetSnapshotRequest.newBuilder()
                            .setVault(vault)
                            .setCreateNow(createNow)
                            .build());
            return decode(() -> FromProto.snapshot(r));
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
              return null;
            }
            throw unaryFailure(
                e, createNow ? "taking a snapshot" : "reading the latest snapshot", vault);
          }
        };
    SnapshotInfo s = createNow ? call.run() : retrier.call(call);
    return s != null ? s : VaultTransport.super.snapshot(vault, createNow);
  }

  /** Not retried: a retry after a lost answer would make a second link. */
  @Override
  public io.vaultsync.protocol.CreatedShare createShare(
      String vault, NotePath path, java.time.Instant expires, char[] password, String device)
      throws IOException {
    try {
      var r =
          unary()
              .createShare(
                  io.vaultsync.transport.grpc.v1.CreateShareRequest.newBuilder()
                      .setVault(vault)
                      .setPath(path.value())
                      .setExpiresMillis(expires == null ? 0 : expires.toEpochMilli())
                      .setPassword(password == null ? "" : new String(password))
                      .build());
      return decode(
          () -> {
            if (r.getUrl().isEmpty() || r.getUrl().length() > 4096) {
              throw new IllegalArgumentException(
                  "share URL of " + r.getUrl().length() + " chars; expected 1 to 4096");
            }
            return new io.vaultsync.protocol.CreatedShare(
                FromProto.shareInfo(r.getShare()), r.getUrl());
          });
    } catch (StatusRuntimeException e) {
      throw failure(
          e, "creating a share link", null, options.unaryDeadline(), vault, path.value(), null);
    }
  }

  @Override
  public List<io.vaultsync.protocol.ShareInfo> listShares(String vault) throws IOException {
    return retrier.call(
        () -> {
          try {
            var r =
                unary()
                    .listShares(
                        io.vaultsync.transport.grpc.v1.ListSharesRequest.newBuilder()
                            .setVault(vault)
                            .build());
            return decode(
                () -> {
                  List<io.vaultsync.protocol.ShareInfo> out = new ArrayList<>();
                  for (var s : r.getSharesList()) {
                    out.add(FromProto.shareInfo(s));
                  }
                  return out;
                });
          } catch (StatusRuntimeException e) {
            throw unaryFailure(e, "listing the share links", vault);
          }
        });
  }

  /** Not retried: a retry after a lost answer would find no such link. */
  @Override
  public void revokeShare(String vault, String id) throws IOException {
    try {
      unary()
          .revokeShare(
              io.vaultsync.transport.grpc.v1.RevokeShareRequest.newBuilder()
                  .setVault(vault)
                  .setId(id)
                  .build());
    } catch (StatusRuntimeException e) {
      throw unaryFailure(e, "revoking a share link", vault);
    }
  }

  /** A listing stream, read whole; retried from the start. */
  private RemoteManifest readManifest(
      String vault,
      String what,
      java.util.function.Function<VaultSyncGrpc.VaultSyncBlockingStub, Iterator<ManifestChunk>>
          call)
      throws IOException {
    return retrier.call(
        () ->
            streaming(
                what,
                vault,
                (stub, stall) -> {
                  stall.waiting();
                  Iterator<ManifestChunk> chunks = call.apply(stub);
                  List<RemoteEntry> entries = new ArrayList<>();
                  long headSeq = -1;
                  while (hasNext(chunks, stall)) {
                    ManifestChunk chunk = chunks.next();
                    if (headSeq >= 0 && chunk.getHeadSeq() != headSeq) {
                      throw new IOException(
                          "malformed response from the remote: manifest chunks at seq "
                              + headSeq
                              + " and "
                              + chunk.getHeadSeq());
                    }
                    headSeq = chunk.getHeadSeq();
                    for (var e : chunk.getEntriesList()) {
                      entries.add(decode(() -> FromProto.entry(e)));
                    }
                  }
                  if (headSeq < 0) {
                    throw new IOException(
                        "malformed response from the remote: a manifest with no message");
                  }
                  return new RemoteManifest(headSeq, entries);
                }));
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
    Objects.requireNonNull(target, "target");
    FetchRequest request =
        FetchRequest.newBuilder()
            .setVault(vault)
            .setTarget(ToProto.hash(target))
            .setBase(ToProto.hash(base))
            .build();
    String what = "downloading version " + target.hex().substring(0, 12);
    boolean[] written = new boolean[1];
    CallRetrier.Attempts attempts = retrier.begin();
    while (true) {
      long start = System.nanoTime();
      try {
        streaming(
            what,
            vault,
            (stub, stall) -> {
              stall.waiting();
              Iterator<DataChunk> chunks = stub.fetch(request);
              while (hasNext(chunks, stall)) {
                DataChunk chunk = chunks.next();
                if (chunk.getData().size() > Limits.CHUNK_BYTES) {
                  throw new IOException(
                      "malformed response from the remote: a fetch chunk of "
                          + chunk.getData().size()
                          + " bytes; at most "
                          + Limits.CHUNK_BYTES);
                }
                written[0] |= !chunk.getData().isEmpty();
                chunk.getData().writeTo(deltaOut);
              }
              return null;
            });
        return;
      } catch (IOException e) {
        if (written[0] && !(deltaOut instanceof RestartableOutput)) {
          throw e; // what was written cannot be taken back
        }
        attempts.failed(e, start);
        if (written[0]) {
          ((RestartableOutput) deltaOut).restart();
          written[0] = false;
        }
      }
    }
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
    VaultTransport.checkFetchItems(items.size());
    CallRetrier.Attempts attempts = retrier.begin();
    FetchManyProgress progress = new FetchManyProgress();
    while (true) {
      long start = System.nanoTime();
      int before = progress.next;
      try {
        fetchManyFrom(vault, items, receiver, progress);
        return;
      } catch (IOException e) {
        if (!CallRetrier.retryable(e)) {
          throw e;
        }
        if (progress.next > before) {
          attempts.progressed();
        }
        if (progress.begun && !receiver.abandon(progress.next)) {
          throw e;
        }
        progress.begun = false;
        attempts.failed(e, start);
      }
    }
  }

  /** How far a batched fetch got: the first item not finished, and whether it was begun. */
  private static final class FetchManyProgress {
    int next;
    boolean begun;
  }

  /** One FetchMany call for the items from {@code progress.next} on. */
  private void fetchManyFrom(
      String vault, List<FetchItem> items, FetchReceiver receiver, FetchManyProgress progress)
      throws IOException {
    int from = progress.next;
    FetchManyRequest.Builder request = FetchManyRequest.newBuilder().setVault(vault);
    for (FetchItem item : items.subList(from, items.size())) {
      request.addItems(
          FetchManyItem.newBuilder()
              .setTarget(ToProto.hash(item.target()))
              .setBase(ToProto.hash(item.base())));
    }
    int left = items.size() - from;
    String what = "downloading " + left + (left == 1 ? " file" : " files");
    boolean unimplemented =
        streaming(
            what,
            vault,
            (stub, stall) -> {
              boolean received = false;
              OutputStream out = null;
              try {
                stall.waiting();
                Iterator<FetchManyChunk> messages = stub.fetchMany(request.build());
                while (hasNext(messages, stall)) {
                  FetchManyChunk message = messages.next();
                  received = true;
                  for (FetchPart part : message.getPartsList()) {
                    int next = progress.next;
                    if (part.getIndex() != next - from || next >= items.size()) {
                      throw new IOException(
                          "malformed response from the remote: a fetch part for item "
                              + (part.getIndex() + from)
                              + "; expected item "
                              + next
                              + " of "
                              + items.size());
                    }
                    if (!part.getNotFound().isEmpty()) {
                      if (out != null || !part.getData().isEmpty() || part.getEnd()) {
                        throw new IOException(
                            "malformed response from the remote: item "
                                + next
                                + " both sent and not found");
                      }
                      receiver.notFound(next, part.getNotFound());
                      progress.next++;
                      continue;
                    }
                    if (part.getData().size() > Limits.CHUNK_BYTES) {
                      throw new IOException(
                          "malformed response from the remote: a fetch part of "
                              + part.getData().size()
                              + " bytes; at most "
                              + Limits.CHUNK_BYTES);
                    }
                    if (out == null) {
                      out = receiver.begin(next);
                      progress.begun = true;
                    }
                    part.getData().writeTo(out);
                    if (part.getEnd()) {
                      receiver.end(next);
                      progress.next++;
                      progress.begun = false;
                      out = null;
                    }
                  }
                }
              } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED && !received) {
                  return true;
                }
                throw e;
              }
              if (progress.next != items.size()) {
                throw new IOException(
                    "malformed response from the remote: a batched fetch ended after "
                        + progress.next
                        + " of "
                        + items.size()
                        + " items");
              }
              return false;
            });
    if (unimplemented) {
      if (from > 0) {
        throw new IOException(
            "the server stopped serving batched fetches after item " + from + "; run again");
      }
      VaultTransport.super.fetchMany(vault, items, receiver);
      progress.next = items.size();
    }
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
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(delta, "delta");
    PushHeader header =
        PushHeader.newBuilder()
            .setVault(vault)
            .setPath(path.value())
            .setBase(ToProto.hash(base))
            .build();
    VaultSyncGrpc.VaultSyncStub stub =
        VaultSyncGrpc.newStub(channel)
            .withCallCredentials(credentials)
            .withMaxInboundMessageSize(options.maxInboundMessageSize());
    String what = "uploading " + path.value();
    try {
      PushResponse response =
          new PushSender<PushResponse>(options.stallTimeout(), options.unaryDeadline(), what)
              .push(stub::push, header, delta);
      if (!response.hasEntry()) {
        throw new IOException("malformed response from the remote: a push answer with no entry");
      }
      return decode(() -> FromProto.entry(response.getEntry()));
    } catch (StatusRuntimeException e) {
      throw failure(e, what, null, null, vault, path.value(), base);
    } catch (io.vaultsync.protocol.RemoteStalledException e) {
      connectionFailed = true; // the network took no chunk, or the answer never came
      throw e;
    }
  }

  /**
   * {@inheritDoc} Streams like {@link #push} (the GiveBack RPC); an older server that does not know
   * the call takes nothing (false).
   */
  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(delta, "delta");
    PushHeader header =
        PushHeader.newBuilder().setVault(vault).setGiveBack(ToProto.hash(hash)).build();
    VaultSyncGrpc.VaultSyncStub stub =
        VaultSyncGrpc.newStub(channel)
            .withCallCredentials(credentials)
            .withMaxInboundMessageSize(options.maxInboundMessageSize());
    String what = "giving back " + hash;
    try {
      return new PushSender<io.vaultsync.transport.grpc.v1.GiveBackResponse>(
              options.stallTimeout(), options.unaryDeadline(), what)
          .push(stub::giveBack, header, delta)
          .getStored();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
        return false;
      }
      throw StatusMapping.toException(e, vault, null, null);
    }
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
    List<io.vaultsync.transport.grpc.v1.Mutation> encoded = new ArrayList<>(mutations.size());
    for (Mutation m : mutations) {
      encoded.add(ToProto.mutation(m));
    }
    List<Outcome> outcomes = new ArrayList<>(mutations.size());
    var batches = CommitBatcher.split(encoded, Limits.COMMIT_BYTES, Limits.COMMIT_MUTATIONS);
    if (batches.isEmpty()) {
      batches = List.of(List.of()); // still one call: an unknown vault must say so
    }
    for (var batch : batches) {
      CommitRequest request =
          CommitRequest.newBuilder()
              .setVault(vault)
              .addAllMutations(batch)
              .setAllowMassDelete(commitOptions.allowMassDelete())
              .setCompactOutcomes(true)
              .setRefusedOutcomes(true)
              .build();
      Duration deadline = options.commitDeadline(request.getSerializedSize());
      String what = "committing " + batch.size() + (batch.size() == 1 ? " change" : " changes");
      CallRetrier.Attempt<CommitResponse> call =
          () -> {
            try {
              var stub = blocking(deadline);
              if (WireLimits.worthCompressing(request)) {
                stub = stub.withCompression("gzip");
              }
              return stub.commit(request);
            } catch (StatusRuntimeException e) {
              throw failure(e, what, null, deadline, vault, null, null);
            }
          };
      boolean deletes = batch.stream().anyMatch(m -> m.hasDelete());
      CommitResponse response = deletes ? call.run() : retrier.call(call);
      if (response.getOutcomesCount() != batch.size()) {
        throw new IOException(
            "malformed response from the remote: "
                + response.getOutcomesCount()
                + " outcomes for "
                + batch.size()
                + " mutations");
      }
      for (int i = 0; i < batch.size(); i++) {
        var o = CompactOutcomes.expand(batch.get(i), response.getOutcomes(i));
        outcomes.add(decode(() -> FromProto.outcome(o)));
      }
    }
    return outcomes;
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
    if (connectionFailed) {
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

  @FunctionalInterface
  private interface Decoder<T> {
    T decode();
  }

  /** Runs a {@link FromProto} conversion of a response; a bad value fails the call. */
  private static <T> T decode(Decoder<T> decoder) throws IOException {
    try {
      return decoder.decode();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("malformed response from the remote: " + e.getMessage(), e);
    }
  }
}
