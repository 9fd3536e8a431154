package io.vaultsync.transport.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vaultsync.core.format.RawLiteralOutput;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.ChangesSinceRequest;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.CommitRequest;
import io.vaultsync.transport.grpc.v1.CommitResponse;
import io.vaultsync.transport.grpc.v1.CreateVaultRequest;
import io.vaultsync.transport.grpc.v1.CreateVaultResponse;
import io.vaultsync.transport.grpc.v1.DataChunk;
import io.vaultsync.transport.grpc.v1.FetchManyChunk;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchManyRequest;
import io.vaultsync.transport.grpc.v1.FetchPageRequest;
import io.vaultsync.transport.grpc.v1.FetchPageResponse;
import io.vaultsync.transport.grpc.v1.FetchRequest;
import io.vaultsync.transport.grpc.v1.GetManifestAtRequest;
import io.vaultsync.transport.grpc.v1.GetManifestPageRequest;
import io.vaultsync.transport.grpc.v1.GetManifestRequest;
import io.vaultsync.transport.grpc.v1.GetRootRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotManifestRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotRequest;
import io.vaultsync.transport.grpc.v1.HistoryRequest;
import io.vaultsync.transport.grpc.v1.HistoryResponse;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import io.vaultsync.transport.grpc.v1.ListVaultsResponse;
import io.vaultsync.transport.grpc.v1.ManifestChunk;
import io.vaultsync.transport.grpc.v1.ManifestPage;
import io.vaultsync.transport.grpc.v1.PushRequest;
import io.vaultsync.transport.grpc.v1.PushResponse;
import io.vaultsync.transport.grpc.v1.SeqAtRequest;
import io.vaultsync.transport.grpc.v1.SeqAtResponse;
import io.vaultsync.transport.grpc.v1.SubscribeRequest;
import io.vaultsync.transport.grpc.v1.UploadPartRequest;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import io.vaultsync.transport.grpc.v1.WaitChangesRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The {@code vaultsync.v1.VaultSync} service over a {@link VaultTransport} backend (the server's
 * storage binds through that interface). Every backend call runs on the given executor, never on a
 * gRPC transport thread. The device of a write is the one {@link AuthInterceptor} authenticated,
 * not anything the request says. Requests are checked by {@link FromProto}; failures become
 * statuses in {@link ToStatus}. Package-private: apps mount it through {@link VaultSyncServices},
 * so the generated classes never show in the public API.
 *
 * <p>Each call is a thin adapter from messages to the backend: running them on the executor is
 * {@link ServerCallRunner}'s; paging long answers {@link ResponsePages}'; the change feed {@link
 * ChangeForwarder}'s; Commit {@link CommitAnswer}'s; push reception {@link PushReceiver}'s; the
 * unary calls of issue 15 (for clients that cannot stream) {@link ChangeWaiter}'s, {@link
 * ManifestPages}', {@link FetchPages}' and {@link UploadParts}'. One class because gRPC binds a
 * service as one {@code ImplBase}.
 */
final class VaultSyncService extends VaultSyncGrpc.VaultSyncImplBase {
  private final VaultTransport backend;
  private final Executor executor;
  private final ServerCallRunner calls;
  private final Duration pushIdleTimeout;
  private final ChangeWaiter waiter;
  private final UploadParts uploads;
  private final FetchSpools spools;

  /**
   * @param uploads where UploadPart stages its parts; null: UploadPart answers FAILED_PRECONDITION
   * @param spools where FetchPage spools a large item's delta; null: its pages generate it again
   */
  VaultSyncService(
      VaultTransport backend,
      Executor executor,
      Duration pushIdleTimeout,
      UploadStaging uploads,
      FetchSpools spools) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.calls = new ServerCallRunner(executor);
    this.pushIdleTimeout = Objects.requireNonNull(pushIdleTimeout, "pushIdleTimeout");
    this.waiter = new ChangeWaiter(backend, executor, ServiceTimers.TIMERS);
    this.uploads = uploads == null ? null : new UploadParts(backend, uploads);
    this.spools = spools;
  }

  @Override
  public void createVault(CreateVaultRequest request, StreamObserver<CreateVaultResponse> obs) {
    calls.unary(
        obs,
        () -> {
          backend.createVault(FromProto.vault(request.getVault()));
          return CreateVaultResponse.getDefaultInstance();
        },
        ToStatus::ofCreateVault);
  }

  @Override
  public void listVaults(ListVaultsRequest request, StreamObserver<ListVaultsResponse> obs) {
    calls.unary(
        obs,
        () -> {
          ListVaultsResponse.Builder b = ListVaultsResponse.newBuilder();
          for (VaultInfo v : backend.listVaults()) {
            b.addVaults(ToProto.vaultInfo(v));
          }
          return b.build();
        });
  }

  @Override
  public void changesSince(ChangesSinceRequest request, StreamObserver<ChangesSinceResponse> obs) {
    // the client sees hasMore() and asks again
    calls.unary(obs, () -> ResponsePages.changesAnswer(backend, request));
  }

  @Override
  public void getManifest(GetManifestRequest request, StreamObserver<ManifestChunk> obs) {
    ZstdCodec.compressResponses(obs);
    calls.streaming(
        obs,
        sender ->
            ResponsePages.sendManifest(
                sender, backend.manifest(FromProto.vault(request.getVault()))));
  }

  @Override
  public void getRoot(
      GetRootRequest request, StreamObserver<io.vaultsync.transport.grpc.v1.VaultRoot> obs) {
    calls.unary(obs, () -> ToProto.vaultRoot(backend.root(FromProto.vault(request.getVault()))));
  }

  @Override
  public void getSnapshot(
      GetSnapshotRequest request, StreamObserver<io.vaultsync.transport.grpc.v1.Snapshot> obs) {
    calls.unary(
        obs,
        () ->
            ToProto.snapshot(
                backend.snapshot(FromProto.vault(request.getVault()), request.getCreateNow())));
  }

  @Override
  public void createShare(
      io.vaultsync.transport.grpc.v1.CreateShareRequest request,
      StreamObserver<io.vaultsync.transport.grpc.v1.CreateShareResponse> obs) {
    String device = AuthInterceptor.DEVICE.get();
    calls.unary(
        obs,
        () -> {
          var created =
              backend.createShare(
                  FromProto.vault(request.getVault()),
                  FromProto.path("share path", request.getPath()),
                  FromProto.shareExpiry(request.getExpiresMillis()),
                  FromProto.sharePassword(request.getPassword()),
                  device);
          return io.vaultsync.transport.grpc.v1.CreateShareResponse.newBuilder()
              .setShare(ToProto.shareLink(created.info()))
              .setUrl(created.url())
              .build();
        });
  }

  @Override
  public void listShares(
      io.vaultsync.transport.grpc.v1.ListSharesRequest request,
      StreamObserver<io.vaultsync.transport.grpc.v1.ListSharesResponse> obs) {
    calls.unary(
        obs,
        () -> {
          var b = io.vaultsync.transport.grpc.v1.ListSharesResponse.newBuilder();
          for (var s : backend.listShares(FromProto.vault(request.getVault()))) {
            b.addShares(ToProto.shareLink(s));
          }
          return b.build();
        });
  }

  @Override
  public void revokeShare(
      io.vaultsync.transport.grpc.v1.RevokeShareRequest request,
      StreamObserver<io.vaultsync.transport.grpc.v1.RevokeShareResponse> obs) {
    calls.unary(
        obs,
        () -> {
          backend.revokeShare(
              FromProto.vault(request.getVault()), FromProto.shareId(request.getId()));
          return io.vaultsync.transport.grpc.v1.RevokeShareResponse.getDefaultInstance();
        });
  }

  @Override
  public void getSnapshotManifest(
      GetSnapshotManifestRequest request, StreamObserver<ManifestChunk> obs) {
    manifestAtSeq(
        obs, request.getVault(), request.getSeq(), "snapshot seq", backend::snapshotManifest);
  }

  @Override
  public void history(HistoryRequest request, StreamObserver<HistoryResponse> obs) {
    calls.unary(
        obs,
        () -> {
          String vault = FromProto.vault(request.getVault());
          NotePath path = FromProto.historyPath(request);
          int limit = Math.min(request.getLimit(), WireLimits.MAX_VERSIONS_PER_PAGE);
          HistoryResponse.Builder b = HistoryResponse.newBuilder();
          // the client asks again from the last seq for what did not fit
          b.addAllVersions(
              ResponsePages.firstPage(backend.history(vault, path, request.getBeforeSeq(), limit)));
          return b.build();
        });
  }

  @Override
  public void seqAt(SeqAtRequest request, StreamObserver<SeqAtResponse> obs) {
    calls.unary(
        obs,
        () -> {
          String vault = FromProto.vault(request.getVault());
          long seq = backend.seqAt(vault, Instant.ofEpochMilli(request.getTimeMillis()));
          return SeqAtResponse.newBuilder().setSeq(seq).build();
        });
  }

  @Override
  public void getManifestAt(GetManifestAtRequest request, StreamObserver<ManifestChunk> obs) {
    manifestAtSeq(
        obs, request.getVault(), request.getSeq(), "manifest at seq", backend::manifestAt);
  }

  /** A manifest a backend keeps at a seq (a snapshot's, or history's). */
  private interface ManifestAtSeq {
    RemoteManifest at(String vault, long seq) throws IOException;
  }

  /** Streams {@code lookup}'s manifest of {@code vault} at {@code seq} (refused below 0). */
  private void manifestAtSeq(
      StreamObserver<ManifestChunk> obs,
      String vaultField,
      long seq,
      String what,
      ManifestAtSeq lookup) {
    ZstdCodec.compressResponses(obs);
    calls.streaming(
        obs,
        sender -> {
          String vault = FromProto.vault(vaultField);
          if (seq < 0) {
            throw new IllegalArgumentException(what + " " + seq + "; expected >= 0");
          }
          ResponsePages.sendManifest(sender, lookup.at(vault, seq));
        });
  }

  @Override
  public void fetch(FetchRequest request, StreamObserver<DataChunk> obs) {
    boolean rawLiterals = ZstdCodec.compressResponses(obs);
    calls.streaming(
        obs,
        sender -> {
          String vault = FromProto.vault(request.getVault());
          var target = FromProto.hash("fetch target", request.getTarget());
          var base = FromProto.optionalHash("fetch base", request.getBase());
          try (ChunkingOutputStream out =
              new ChunkingOutputStream(
                  Limits.CHUNK_BYTES,
                  chunk -> sender.send(DataChunk.newBuilder().setData(chunk).build()))) {
            backend.fetch(vault, target, base, rawLiterals ? new RawLiteralOutput(out) : out);
          }
        });
  }

  @Override
  public void fetchMany(FetchManyRequest request, StreamObserver<FetchManyChunk> obs) {
    // one file (a live edit's download): as before, its few bytes would grow by zstd's frame
    boolean rawLiterals = request.getItemsCount() > 1 && ZstdCodec.compressResponses(obs);
    calls.streaming(
        obs,
        sender -> {
          String vault = FromProto.vault(request.getVault());
          VaultTransport.checkFetchItems(request.getItemsCount());
          List<FetchItem> items = new ArrayList<>(request.getItemsCount());
          for (FetchManyItem item : request.getItemsList()) {
            items.add(
                new FetchItem(
                    FromProto.hash("fetch target", item.getTarget()),
                    FromProto.optionalHash("fetch base", item.getBase())));
          }
          FetchManyFramer framer = new FetchManyFramer(Limits.CHUNK_BYTES, sender::send);
          backend.fetchMany(vault, items, rawLiterals ? new RawLiteralReceiver(framer) : framer);
          framer.finish();
        });
  }

  @Override
  public StreamObserver<PushRequest> push(StreamObserver<PushResponse> obs) {
    return new PushReceiver<>(
        (ServerCallStreamObserver<PushResponse>) obs,
        PushReceiver.push(backend, AuthInterceptor.DEVICE.get()),
        executor,
        pushIdleTimeout);
  }

  @Override
  public StreamObserver<PushRequest> giveBack(
      StreamObserver<io.vaultsync.transport.grpc.v1.GiveBackResponse> obs) {
    return new PushReceiver<>(
        (ServerCallStreamObserver<io.vaultsync.transport.grpc.v1.GiveBackResponse>) obs,
        PushReceiver.giveBack(backend, AuthInterceptor.DEVICE.get()),
        executor,
        pushIdleTimeout);
  }

  @Override
  public void commit(CommitRequest request, StreamObserver<CommitResponse> obs) {
    String device = AuthInterceptor.DEVICE.get();
    calls.unary(obs, () -> CommitAnswer.answer(backend, request, device));
  }

  /**
   * Subscribes to the backend's change feed and forwards each delivery in messages of at most
   * {@link WireLimits#CHANGES_PAGE_BYTES}. Deliveries never block the feed's threads: while the
   * client is not reading, the sender's queue fills, {@link ChangeForwarder#ready} says no and the
   * feed stops pumping for this subscriber until the queue drains ({@link Subscription#resume}). A
   * cancel ends the backend subscription.
   */
  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<ChangesSinceResponse> obs) {
    FlowControlledSender<ChangesSinceResponse> sender = ServerCallRunner.sender(obs);
    calls.execute(
        sender,
        () -> {
          String vault = FromProto.vault(request.getVault());
          if (request.getAfterSeq() < 0) {
            throw new IllegalArgumentException(
                "subscribe after seq " + request.getAfterSeq() + "; expected >= 0");
          }
          Subscription subscription =
              backend.subscribe(
                  vault,
                  request.getAfterSeq(),
                  new ChangeForwarder(sender, request.getFolderMoves()),
                  request.getFolderMoves());
          sender.onRoom(subscription::resume);
          sender.onCancel(subscription::close);
        });
  }

  @Override
  public void waitChanges(WaitChangesRequest request, StreamObserver<ChangesSinceResponse> obs) {
    waiter.waitChanges(request, obs);
  }

  @Override
  public void getManifestPage(GetManifestPageRequest request, StreamObserver<ManifestPage> obs) {
    calls.unary(obs, () -> ManifestPages.page(backend, backend, request));
  }

  @Override
  public void fetchPage(FetchPageRequest request, StreamObserver<FetchPageResponse> obs) {
    String device = AuthInterceptor.DEVICE.get();
    calls.unary(obs, () -> FetchPages.page(backend, request, device, spools));
  }

  @Override
  public void uploadPart(UploadPartRequest request, StreamObserver<UploadPartResponse> obs) {
    String device = AuthInterceptor.DEVICE.get();
    calls.unary(
        obs,
        () -> {
          if (uploads == null) {
            throw io.grpc.Status.FAILED_PRECONDITION
                .withDescription(
                    "this server takes no uploads in parts (it was started without a staging"
                        + " folder); push through the streaming Push call")
                .asRuntimeException();
          }
          return uploads.part(request, device);
        });
  }
}
