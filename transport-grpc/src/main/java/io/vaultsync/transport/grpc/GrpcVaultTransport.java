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
import io.vaultsync.core.transport.ChangeListener;
import io.vaultsync.core.transport.ChangePage;
import io.vaultsync.core.transport.CommitOptions;
import io.vaultsync.core.transport.FetchItem;
import io.vaultsync.core.transport.FetchReceiver;
import io.vaultsync.core.transport.Mutation;
import io.vaultsync.core.transport.Outcome;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.RemoteManifest;
import io.vaultsync.core.transport.SnapshotInfo;
import io.vaultsync.core.transport.Subscription;
import io.vaultsync.core.transport.VaultInfo;
import io.vaultsync.core.transport.VaultRoot;
import io.vaultsync.core.transport.VaultTransport;
import io.vaultsync.core.tree.NotePath;
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
 * are not sent. Deadlines come from {@link GrpcClientOptions}: unary calls (and each Commit call)
 * get {@code unaryDeadline}, streams {@code streamDeadline}. Failures arrive as the exceptions of
 * delta-core ({@code StaleVersionException}, {@code NotFoundException}, {@code
 * InvalidRequestException}, {@code AuthenticationException}, {@code RemoteUnavailableException}),
 * see {@link StatusMapping}. A response the server should never send (a 31-byte hash, a path that
 * is not canonical) fails the call with an {@link IOException} naming the bad value.
 *
 * <p>Bulk data streams in chunks of at most 1 MiB with flow control both ways: {@link #push} reads
 * the delta only as fast as the network takes it, {@link #fetch} asks for the next chunk only when
 * {@code deltaOut} has taken the last one.
 *
 * <p>Thread-safe: calls may run concurrently on one instance.
 */
public final class GrpcVaultTransport implements VaultTransport {
  private final Channel channel;
  private final ManagedChannel owned;
  private final CallCredentials credentials;
  private final GrpcClientOptions options;
  private final WireStatsCounter stats = new WireStatsCounter();

  private GrpcVaultTransport(
      Channel channel, ManagedChannel owned, String token, GrpcClientOptions options) {
    this.channel = ClientInterceptors.intercept(Objects.requireNonNull(channel, "channel"), stats);
    this.owned = owned;
    this.credentials = new BearerTokenCredentials(Objects.requireNonNull(token, "token"));
    this.options = Objects.requireNonNull(options, "options");
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
    return VaultSyncGrpc.newBlockingStub(channel)
        .withCallCredentials(credentials)
        .withMaxInboundMessageSize(options.maxInboundMessageSize())
        .withMaxOutboundMessageSize(WireLimits.MAX_INBOUND_MESSAGE_BYTES)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void createVault(String vault) throws IOException {
    try {
      blocking(options.unaryDeadline())
          .createVault(CreateVaultRequest.newBuilder().setVault(vault).build());
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, null, null);
    }
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    try {
      var response =
          blocking(options.unaryDeadline()).listVaults(ListVaultsRequest.getDefaultInstance());
      List<VaultInfo> out = new ArrayList<>(response.getVaultsCount());
      for (var v : response.getVaultsList()) {
        out.add(decode(() -> FromProto.vaultInfo(v)));
      }
      return out;
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, null, null, null);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One long-lived server-streaming call with no deadline; the listener runs on gRPC's callback
   * threads, so it should hand work off rather than block. When the connection drops the listener
   * hears {@link io.vaultsync.core.transport.RemoteUnavailableException}; subscribe again from the
   * last seq applied.
   */
  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    if (afterSeq < 0) {
      throw new IllegalArgumentException("subscribe after seq " + afterSeq + "; expected >= 0");
    }
    SubscribeCall call = new SubscribeCall(vault, afterSeq, listener);
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
    if (afterSeq < 0 || limit < 1) {
      throw new IllegalArgumentException(
          "changes after seq " + afterSeq + ", limit " + limit + "; expected >= 0 and >= 1");
    }
    try {
      var response =
          blocking(options.unaryDeadline())
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
      throw StatusMapping.toException(e, vault, null, null);
    }
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return readManifest(
        vault, stub -> stub.getManifest(GetManifestRequest.newBuilder().setVault(vault).build()));
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    if (seq < 0) {
      throw new IllegalArgumentException("snapshot seq " + seq + "; expected >= 0");
    }
    RemoteManifest m =
        readManifest(
            vault,
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
   * before History (UNIMPLEMENTED) answers {@link io.vaultsync.core.transport.NotFoundException}.
   */
  @Override
  public List<io.vaultsync.core.transport.Change> history(
      String vault, NotePath path, long beforeSeq, int limit) throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    HistoryRequest.Builder request =
        HistoryRequest.newBuilder().setVault(vault).setBeforeSeq(beforeSeq).setLimit(limit);
    if (path != null) {
      request.setPath(path.value());
    }
    try {
      var response = blocking(options.unaryDeadline()).history(request.build());
      return decode(() -> FromProto.history(response, path, beforeSeq, limit));
    } catch (StatusRuntimeException e) {
      throw unimplementedOr(e, vault, "history");
    }
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
    try {
      var response =
          blocking(options.unaryDeadline())
              .seqAt(SeqAtRequest.newBuilder().setVault(vault).setTimeMillis(millis).build());
      if (response.getSeq() < 0) {
        throw new IOException(
            "malformed response from the remote: seq " + response.getSeq() + " for a time");
      }
      return response.getSeq();
    } catch (StatusRuntimeException e) {
      throw unimplementedOr(e, vault, "history");
    }
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    if (seq < 0) {
      throw new IllegalArgumentException("manifest at seq " + seq + "; expected >= 0");
    }
    RemoteManifest m =
        readManifest(
            vault,
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
   * io.vaultsync.core.transport.NotFoundException} that says so; anything else as usual.
   */
  private static IOException unimplementedOr(StatusRuntimeException e, String vault, String what) {
    if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
      return new io.vaultsync.core.transport.NotFoundException(
          "the server keeps no " + what + " (it is older than vaultsync's history support)");
    }
    return StatusMapping.toException(e, vault, null, null);
  }

  /**
   * {@inheritDoc} A server from before GetRoot (UNIMPLEMENTED) is answered from its manifest, as
   * the interface's default does.
   */
  @Override
  public VaultRoot root(String vault) throws IOException {
    try {
      var r =
          blocking(options.unaryDeadline())
              .getRoot(GetRootRequest.newBuilder().setVault(vault).build());
      return decode(() -> FromProto.vaultRoot(r));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return VaultTransport.super.root(vault);
      }
      throw StatusMapping.toException(e, vault, null, null);
    }
  }

  /** {@inheritDoc} A server from before GetSnapshot (UNIMPLEMENTED) answers NotFoundException. */
  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    try {
      var r =
          blocking(options.unaryDeadline())
              .getSnapshot(
                  GetSnapshotRequest.newBuilder().setVault(vault).setCreateNow(createNow).build());
      return decode(() -> FromProto.snapshot(r));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return VaultTransport.super.snapshot(vault, createNow);
      }
      throw StatusMapping.toException(e, vault, null, null);
    }
  }

  @Override
  public io.vaultsync.core.transport.CreatedShare createShare(
      String vault, NotePath path, java.time.Instant expires, char[] password, String device)
      throws IOException {
    try {
      var r =
          blocking(options.unaryDeadline())
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
            return new io.vaultsync.core.transport.CreatedShare(
                FromProto.shareInfo(r.getShare()), r.getUrl());
          });
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, path.value(), null);
    }
  }

  @Override
  public List<io.vaultsync.core.transport.ShareInfo> listShares(String vault) throws IOException {
    try {
      var r =
          blocking(options.unaryDeadline())
              .listShares(
                  io.vaultsync.transport.grpc.v1.ListSharesRequest.newBuilder()
                      .setVault(vault)
                      .build());
      return decode(
          () -> {
            List<io.vaultsync.core.transport.ShareInfo> out = new ArrayList<>();
            for (var s : r.getSharesList()) {
              out.add(FromProto.shareInfo(s));
            }
            return out;
          });
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, null, null);
    }
  }

  @Override
  public void revokeShare(String vault, String id) throws IOException {
    try {
      blocking(options.unaryDeadline())
          .revokeShare(
              io.vaultsync.transport.grpc.v1.RevokeShareRequest.newBuilder()
                  .setVault(vault)
                  .setId(id)
                  .build());
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, null, null);
    }
  }

  private RemoteManifest readManifest(
      String vault,
      java.util.function.Function<VaultSyncGrpc.VaultSyncBlockingStub, Iterator<ManifestChunk>>
          call)
      throws IOException {
    Context.CancellableContext ctx = Context.current().withCancellation();
    Context previous = ctx.attach();
    try {
      Iterator<ManifestChunk> chunks = call.apply(blocking(options.streamDeadline()));
      List<RemoteEntry> entries = new ArrayList<>();
      long headSeq = -1;
      while (chunks.hasNext()) {
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
        throw new IOException("malformed response from the remote: a manifest with no message");
      }
      return new RemoteManifest(headSeq, entries);
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, null, null);
    } finally {
      ctx.detach(previous);
      ctx.cancel(null); // ends the call if we stopped early; a no-op after it completed
    }
  }

  /**
   * {@inheritDoc} Each chunk is written to {@code deltaOut} before the next is requested, so a slow
   * {@code deltaOut} slows the server down instead of filling memory. If writing fails, the call is
   * cancelled and the write's exception is thrown.
   */
  @Override
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    Objects.requireNonNull(target, "target");
    Context.CancellableContext ctx = Context.current().withCancellation();
    Context previous = ctx.attach();
    try {
      Iterator<DataChunk> chunks =
          blocking(options.streamDeadline())
              .fetch(
                  FetchRequest.newBuilder()
                      .setVault(vault)
                      .setTarget(ToProto.hash(target))
                      .setBase(ToProto.hash(base))
                      .build());
      while (chunks.hasNext()) {
        DataChunk chunk = chunks.next();
        if (chunk.getData().size() > WireLimits.MAX_CHUNK_BYTES) {
          throw new IOException(
              "malformed response from the remote: a fetch chunk of "
                  + chunk.getData().size()
                  + " bytes; at most "
                  + WireLimits.MAX_CHUNK_BYTES);
        }
        chunk.getData().writeTo(deltaOut);
      }
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, null, null);
    } finally {
      ctx.detach(previous);
      ctx.cancel(null);
    }
  }

  /**
   * {@inheritDoc} One {@code FetchMany} call; each part is handed to {@code receiver} before the
   * next message is requested, so a slow receiver slows the server down. The framing is checked
   * (items in order, each begun once and ended once, parts of at most 1 MiB). A server older than
   * {@code FetchMany} (UNIMPLEMENTED) is asked with one {@link #fetch} per item instead.
   */
  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    VaultTransport.checkFetchItems(items.size());
    FetchManyRequest.Builder request = FetchManyRequest.newBuilder().setVault(vault);
    for (FetchItem item : items) {
      request.addItems(
          FetchManyItem.newBuilder()
              .setTarget(ToProto.hash(item.target()))
              .setBase(ToProto.hash(item.base())));
    }
    Context.CancellableContext ctx = Context.current().withCancellation();
    Context previous = ctx.attach();
    int next = 0;
    boolean received = false;
    try {
      Iterator<FetchManyChunk> messages =
          blocking(options.streamDeadline()).fetchMany(request.build());
      OutputStream out = null;
      while (messages.hasNext()) {
        FetchManyChunk message = messages.next();
        received = true;
        for (FetchPart part : message.getPartsList()) {
          if (part.getIndex() != next || next >= items.size()) {
            throw new IOException(
                "malformed response from the remote: a fetch part for item "
                    + part.getIndex()
                    + "; expected item "
                    + next
                    + " of "
                    + items.size());
          }
          if (!part.getNotFound().isEmpty()) {
            if (out != null || !part.getData().isEmpty() || part.getEnd()) {
              throw new IOException(
                  "malformed response from the remote: item " + next + " both sent and not found");
            }
            receiver.notFound(next++, part.getNotFound());
            continue;
          }
          if (part.getData().size() > WireLimits.MAX_CHUNK_BYTES) {
            throw new IOException(
                "malformed response from the remote: a fetch part of "
                    + part.getData().size()
                    + " bytes; at most "
                    + WireLimits.MAX_CHUNK_BYTES);
          }
          if (out == null) {
            out = receiver.begin(next);
          }
          part.getData().writeTo(out);
          if (part.getEnd()) {
            receiver.end(next++);
            out = null;
          }
        }
      }
      if (next != items.size()) {
        throw new IOException(
            "malformed response from the remote: a batched fetch ended after "
                + next
                + " of "
                + items.size()
                + " items");
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED && !received) {
        ctx.detach(previous);
        previous = null;
        VaultTransport.super.fetchMany(vault, items, receiver);
        return;
      }
      throw StatusMapping.toException(e, vault, null, null);
    } finally {
      if (previous != null) {
        ctx.detach(previous);
      }
      ctx.cancel(null);
    }
  }

  /**
   * {@inheritDoc} The delta streams in chunks of at most 1 MiB, sent only when the network is
   * ready. If reading {@code delta} fails, the call is cancelled, the server records nothing, and
   * the read's exception is thrown. {@code device} is not sent: the server uses the token's device.
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
            .withMaxInboundMessageSize(options.maxInboundMessageSize())
            .withDeadlineAfter(options.streamDeadline().toNanos(), TimeUnit.NANOSECONDS);
    try {
      PushResponse response = new PushSender<PushResponse>().push(stub::push, header, delta);
      if (!response.hasEntry()) {
        throw new IOException("malformed response from the remote: a push answer with no entry");
      }
      return decode(() -> FromProto.entry(response.getEntry()));
    } catch (StatusRuntimeException e) {
      throw StatusMapping.toException(e, vault, path.value(), base);
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
            .withMaxInboundMessageSize(options.maxInboundMessageSize())
            .withDeadlineAfter(options.streamDeadline().toNanos(), TimeUnit.NANOSECONDS);
    try {
      return new PushSender<io.vaultsync.transport.grpc.v1.GiveBackResponse>()
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
   * they made. {@code device} is not sent: the server uses the token's device. {@code
   * commitOptions} go with every call, so a server that checks mass deletes per call sees the
   * user's permission on each.
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
    var batches =
        CommitBatcher.split(
            encoded, WireLimits.COMMIT_BATCH_BYTES, WireLimits.MAX_MUTATIONS_PER_COMMIT);
    if (batches.isEmpty()) {
      batches = List.of(List.of()); // still one call: an unknown vault must say so
    }
    for (var batch : batches) {
      CommitResponse response;
      CommitRequest request =
          CommitRequest.newBuilder()
              .setVault(vault)
              .addAllMutations(batch)
              .setAllowMassDelete(commitOptions.allowMassDelete())
              .setCompactOutcomes(true)
              .setRefusedOutcomes(true)
              .build();
      try {
        var stub = blocking(options.unaryDeadline());
        if (WireLimits.worthCompressing(request)) {
          stub = stub.withCompression("gzip");
        }
        response = stub.commit(request);
      } catch (StatusRuntimeException e) {
        throw StatusMapping.toException(e, vault, null, null);
      }
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

  /** Closes the channel if this client opened it ({@link #connect}); waits up to 5 s. */
  @Override
  public void close() throws IOException {
    if (owned == null) {
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
