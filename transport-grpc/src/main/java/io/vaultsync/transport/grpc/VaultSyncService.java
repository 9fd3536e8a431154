package io.vaultsync.transport.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
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
import io.vaultsync.transport.grpc.v1.FetchRequest;
import io.vaultsync.transport.grpc.v1.GetManifestAtRequest;
import io.vaultsync.transport.grpc.v1.GetManifestRequest;
import io.vaultsync.transport.grpc.v1.GetRootRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotManifestRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotRequest;
import io.vaultsync.transport.grpc.v1.HistoryRequest;
import io.vaultsync.transport.grpc.v1.HistoryResponse;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import io.vaultsync.transport.grpc.v1.ListVaultsResponse;
import io.vaultsync.transport.grpc.v1.ManifestChunk;
import io.vaultsync.transport.grpc.v1.PushRequest;
import io.vaultsync.transport.grpc.v1.PushResponse;
import io.vaultsync.transport.grpc.v1.SeqAtRequest;
import io.vaultsync.transport.grpc.v1.SeqAtResponse;
import io.vaultsync.transport.grpc.v1.SubscribeRequest;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The {@code vaultsync.v1.VaultSync} service over a {@link VaultTransport} backend (the server's
 * storage binds through that interface). Every backend call runs on the given executor, never on a
 * gRPC transport thread. The device of a write is the one {@link AuthInterceptor} authenticated,
 * not anything the request says. Requests are checked by {@link FromProto}; failures become
 * statuses in {@link StatusMapping}. Package-private: apps mount it through {@link
 * VaultSyncServices}, so the generated classes never show in the public API.
 *
 * <p>Over 400 lines: the server half of every call, each a thin adapter from messages to a {@code
 * VaultTransport}; flow control, chunking and push reception are classes of their own.
 */
final class VaultSyncService extends VaultSyncGrpc.VaultSyncImplBase {
  private final VaultTransport backend;
  private final Executor executor;
  private final Duration pushIdleTimeout;

  VaultSyncService(VaultTransport backend, Executor executor, Duration pushIdleTimeout) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.pushIdleTimeout = Objects.requireNonNull(pushIdleTimeout, "pushIdleTimeout");
  }

  /** A backend call that may throw anything; mapped by {@link StatusMapping}. */
  @FunctionalInterface
  private interface Body<T> {
    T call() throws Exception;
  }

  /** The producing side of a server-streaming call. */
  @FunctionalInterface
  private interface Producer {
    void run() throws Exception;
  }

  @Override
  public void createVault(CreateVaultRequest request, StreamObserver<CreateVaultResponse> obs) {
    unary(
        obs,
        () -> {
          backend.createVault(FromProto.vault(request.getVault()));
          return CreateVaultResponse.getDefaultInstance();
        },
        StatusMapping::toCreateVaultStatus);
  }

  @Override
  public void listVaults(ListVaultsRequest request, StreamObserver<ListVaultsResponse> obs) {
    unary(
        obs,
        () -> {
          ListVaultsResponse.Builder b = ListVaultsResponse.newBuilder();
          for (VaultInfo v : backend.listVaults()) {
            b.addVaults(ToProto.vaultInfo(v));
          }
          return b.build();
        },
        StatusMapping::toStatus);
  }

  @Override
  public void changesSince(ChangesSinceRequest request, StreamObserver<ChangesSinceResponse> obs) {
    unary(
        obs,
        () -> {
          String vault = FromProto.vault(request.getVault());
          if (request.getAfterSeq() < 0 || request.getLimit() < 1) {
            throw new IllegalArgumentException(
                "changes after seq "
                    + request.getAfterSeq()
                    + ", limit "
                    + request.getLimit()
                    + "; expected >= 0 and >= 1");
          }
          int limit = Math.min(request.getLimit(), Limits.CHANGES_PER_PAGE);
          ChangePage page = backend.changesSince(vault, request.getAfterSeq(), limit);
          ChangesSinceResponse.Builder b =
              ChangesSinceResponse.newBuilder()
                  .setHeadSeq(page.headSeq())
                  .setHorizonSeq(page.horizonSeq());
          for (var h : page.wanted()) {
            b.addWanted(ToProto.hash(h));
          }
          b.addAllChanges(pageOf(page.changes())); // the client sees hasMore() and asks again
          return b.build();
        },
        StatusMapping::toStatus);
  }

  @Override
  public void getManifest(GetManifestRequest request, StreamObserver<ManifestChunk> obs) {
    FlowControlledSender<ManifestChunk> sender =
        new FlowControlledSender<>(
            (ServerCallStreamObserver<ManifestChunk>) obs, WireLimits.SERVER_STREAM_QUEUE);
    streaming(
        sender, () -> sendManifest(sender, backend.manifest(FromProto.vault(request.getVault()))));
  }

  /** Sends entries in messages of ~256 KiB; at least one, so an empty vault still says its seq. */
  private static void sendManifest(FlowControlledSender<ManifestChunk> sender, RemoteManifest m)
      throws IOException {
    ManifestChunk.Builder b = ManifestChunk.newBuilder().setHeadSeq(m.headSeq());
    long bytes = 0;
    for (RemoteEntry e : m.entries()) {
      var proto = ToProto.entry(e);
      int size = proto.getSerializedSize() + 4;
      if (b.getEntriesCount() > 0 && bytes + size > WireLimits.MANIFEST_CHUNK_BYTES) {
        sender.send(b.build());
        b = ManifestChunk.newBuilder().setHeadSeq(m.headSeq());
        bytes = 0;
      }
      b.addEntries(proto);
      bytes += size;
    }
    sender.send(b.build());
  }

  @Override
  public void getRoot(
      GetRootRequest request, StreamObserver<io.vaultsync.transport.grpc.v1.VaultRoot> obs) {
    unary(
        obs,
        () -> ToProto.vaultRoot(backend.root(FromProto.vault(request.getVault()))),
        StatusMapping::toStatus);
  }

  @Override
  public void getSnapshot(
      GetSnapshotRequest request, StreamObserver<io.vaultsync.transport.grpc.v1.Snapshot> obs) {
    unary(
        obs,
        () ->
            ToProto.snapshot(
                backend.snapshot(FromProto.vault(request.getVault()), request.getCreateNow())),
        StatusMapping::toStatus);
  }

  @Override
  public void createShare(
      io.vaultsync.transport.grpc.v1.CreateShareRequest request,
      StreamObserver<io.vaultsync.transport.grpc.v1.CreateShareResponse> obs) {
    String device = AuthInterceptor.DEVICE.get();
    unary(
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
        },
        StatusMapping::toStatus);
  }

  @Override
  public void listShares(
      io.vaultsync.transport.grpc.v1.ListSharesRequest request,
      StreamObserver<io.vaultsync.transport.grpc.v1.ListSharesResponse> obs) {
    unary(
        obs,
        () -> {
          var b = io.vaultsync.transport.grpc.v1.ListSharesResponse.newBuilder();
          for (var s : backend.listShares(FromProto.vault(request.getVault()))) {
            b.addShares(ToProto.shareLink(s));
          }
          return b.build();
        },
        StatusMapping::toStatus);
  }

  @Override
  public void revokeShare(
      io.vaultsync.transport.grpc.v1.RevokeShareRequest request,
      StreamObserver<io.vaultsync.transport.grpc.v1.RevokeShareResponse> obs) {
    unary(
        obs,
        () -> {
          backend.revokeShare(
              FromProto.vault(request.getVault()), FromProto.shareId(request.getId()));
          return io.vaultsync.transport.grpc.v1.RevokeShareResponse.getDefaultInstance();
        },
        StatusMapping::toStatus);
  }

  @Override
  public void getSnapshotManifest(
      GetSnapshotManifestRequest request, StreamObserver<ManifestChunk> obs) {
    manifestAtSeq(
        obs, request.getVault(), request.getSeq(), "snapshot seq", backend::snapshotManifest);
  }

  @Override
  public void history(HistoryRequest request, StreamObserver<HistoryResponse> obs) {
    unary(
        obs,
        () -> {
          String vault = FromProto.vault(request.getVault());
          NotePath path = FromProto.historyPath(request);
          int limit = Math.min(request.getLimit(), WireLimits.MAX_VERSIONS_PER_PAGE);
          HistoryResponse.Builder b = HistoryResponse.newBuilder();
          // the client asks again from the last seq for what did not fit
          b.addAllVersions(pageOf(backend.history(vault, path, request.getBeforeSeq(), limit)));
          return b.build();
        },
        StatusMapping::toStatus);
  }

  @Override
  public void seqAt(SeqAtRequest request, StreamObserver<SeqAtResponse> obs) {
    unary(
        obs,
        () -> {
          String vault = FromProto.vault(request.getVault());
          long seq = backend.seqAt(vault, Instant.ofEpochMilli(request.getTimeMillis()));
          return SeqAtResponse.newBuilder().setSeq(seq).build();
        },
        StatusMapping::toStatus);
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
    FlowControlledSender<ManifestChunk> sender =
        new FlowControlledSender<>(
            (ServerCallStreamObserver<ManifestChunk>) obs, WireLimits.SERVER_STREAM_QUEUE);
    streaming(
        sender,
        () -> {
          String vault = FromProto.vault(vaultField);
          if (seq < 0) {
            throw new IllegalArgumentException(what + " " + seq + "; expected >= 0");
          }
          sendManifest(sender, lookup.at(vault, seq));
        });
  }

  @Override
  public void fetch(FetchRequest request, StreamObserver<DataChunk> obs) {
    FlowControlledSender<DataChunk> sender =
        new FlowControlledSender<>(
            (ServerCallStreamObserver<DataChunk>) obs, WireLimits.SERVER_STREAM_QUEUE);
    streaming(
        sender,
        () -> {
          String vault = FromProto.vault(request.getVault());
          var target = FromProto.hash("fetch target", request.getTarget());
          var base = FromProto.optionalHash("fetch base", request.getBase());
          try (ChunkingOutputStream out =
              new ChunkingOutputStream(
                  Limits.CHUNK_BYTES,
                  chunk -> sender.send(DataChunk.newBuilder().setData(chunk).build()))) {
            backend.fetch(vault, target, base, out);
          }
        });
  }

  @Override
  public void fetchMany(FetchManyRequest request, StreamObserver<FetchManyChunk> obs) {
    FlowControlledSender<FetchManyChunk> sender =
        new FlowControlledSender<>(
            (ServerCallStreamObserver<FetchManyChunk>) obs, WireLimits.SERVER_STREAM_QUEUE);
    streaming(
        sender,
        () -> {
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
          backend.fetchMany(vault, items, framer);
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
    unary(
        obs,
        () -> {
          String vault = FromProto.vault(request.getVault());
          if (request.getMutationsCount() > Limits.COMMIT_MUTATIONS) {
            throw new IllegalArgumentException(
                "commit of "
                    + request.getMutationsCount()
                    + " mutations; at most "
                    + Limits.COMMIT_MUTATIONS
                    + " per call");
          }
          List<Mutation> mutations = new ArrayList<>(request.getMutationsCount());
          for (var m : request.getMutationsList()) {
            mutations.add(FromProto.mutation(m));
          }
          CommitResponse.Builder b = CommitResponse.newBuilder();
          CommitOptions options = new CommitOptions(request.getAllowMassDelete());
          List<Outcome> outcomes = backend.commit(vault, mutations, device, options);
          if (!request.getRefusedOutcomes()) {
            refuseForOldClient(vault, outcomes);
          }
          for (int i = 0; i < outcomes.size(); i++) {
            var o = ToProto.outcome(outcomes.get(i));
            b.addOutcomes(
                request.getCompactOutcomes() && i < request.getMutationsCount()
                    ? CompactOutcomes.compact(request.getMutations(i), o)
                    : o);
          }
          return b.build();
        },
        StatusMapping::toStatus);
  }

  /**
   * An old client (no {@code refused_outcomes}) cannot read {@code Outcome.refused}: its outcome
   * decoder would fail the sync with "malformed response". It gets INVALID_ARGUMENT naming the
   * first refused path instead, which it prints; the batch's other mutations are applied (the next
   * sync finds them equal on both sides and only records them).
   */
  private static void refuseForOldClient(String vault, List<Outcome> outcomes)
      throws InvalidRequestException {
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Refused r) {
        throw new InvalidRequestException(
            "vault \""
                + vault
                + "\" refused \""
                + r.path()
                + "\": "
                + r.reason()
                + " (this client is too old to leave such a file out and go on: update it; the"
                + " batch's other changes were applied)");
      }
    }
  }

  /**
   * Subscribes to the backend's change feed and forwards each delivery in messages of at most
   * {@link WireLimits#CHANGES_PAGE_BYTES}. Deliveries never block the feed's threads: while the
   * client is not reading, the sender's queue fills, {@link Forwarder#ready} says no and the feed
   * stops pumping for this subscriber until the queue drains ({@link Subscription#resume}). A
   * cancel ends the backend subscription.
   */
  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<ChangesSinceResponse> obs) {
    FlowControlledSender<ChangesSinceResponse> sender =
        new FlowControlledSender<>(
            (ServerCallStreamObserver<ChangesSinceResponse>) obs, WireLimits.SERVER_STREAM_QUEUE);
    Runnable task =
        () -> {
          try {
            String vault = FromProto.vault(request.getVault());
            if (request.getAfterSeq() < 0) {
              throw new IllegalArgumentException(
                  "subscribe after seq " + request.getAfterSeq() + "; expected >= 0");
            }
            Subscription subscription =
                backend.subscribe(vault, request.getAfterSeq(), new Forwarder(sender));
            sender.onRoom(subscription::resume);
            sender.onCancel(subscription::close);
          } catch (Throwable t) {
            sender.fail(t);
          }
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      sender.fail(e);
    }
  }

  /** Sends a feed's deliveries down one Subscribe call, never blocking the feed. */
  private static final class Forwarder implements ChangeListener {
    private final FlowControlledSender<ChangesSinceResponse> sender;

    Forwarder(FlowControlledSender<ChangesSinceResponse> sender) {
      this.sender = sender;
    }

    @Override
    public boolean ready() {
      return sender.hasRoom();
    }

    @Override
    public void onChanges(List<Change> changes, long headSeq) {
      ChangesSinceResponse.Builder b = ChangesSinceResponse.newBuilder().setHeadSeq(headSeq);
      long bytes = 0;
      try {
        for (Change c : changes) {
          var proto = ToProto.change(c);
          int size = proto.getSerializedSize() + 4;
          if (b.getChangesCount() > 0 && bytes + size > WireLimits.CHANGES_PAGE_BYTES) {
            sender.offer(b.build());
            b = ChangesSinceResponse.newBuilder().setHeadSeq(headSeq);
            bytes = 0;
          }
          b.addChanges(proto);
          bytes += size;
        }
        sender.offer(b.build());
      } catch (IOException e) {
        // The call was cancelled: ending the feed subscription is all that is left.
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void onClosed(IOException cause) {
      sender.fail(cause);
    }
  }

  /**
   * The leading changes that fit one response of ~{@link WireLimits#CHANGES_PAGE_BYTES} (at least
   * one), as protos.
   */
  private static List<io.vaultsync.transport.grpc.v1.Change> pageOf(List<Change> changes) {
    List<io.vaultsync.transport.grpc.v1.Change> out = new ArrayList<>();
    long bytes = 0;
    for (Change c : changes) {
      var proto = ToProto.change(c);
      bytes += proto.getSerializedSize() + 4;
      if (!out.isEmpty() && bytes > WireLimits.CHANGES_PAGE_BYTES) {
        break;
      }
      out.add(proto);
    }
    return out;
  }

  private <T> void unary(
      StreamObserver<T> obs, Body<T> body, Function<Throwable, StatusRuntimeException> mapping) {
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) obs;
    call.setOnCancelHandler(() -> {}); // responses after a cancel are dropped, not thrown
    Runnable task =
        () -> {
          T response;
          try {
            response = body.call();
          } catch (Throwable t) {
            StatusRuntimeException status = mapping.apply(t);
            if (!call.isCancelled()) {
              call.onError(status);
            }
            return;
          }
          if (!call.isCancelled()) {
            if (response instanceof com.google.protobuf.MessageLite m
                && WireLimits.worthCompressing(m)) {
              call.setCompression("gzip");
            }
            call.onNext(response);
            call.onCompleted();
          }
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      call.onError(StatusMapping.toStatus(e));
    }
  }

  /** Runs {@code body} on the executor, then completes {@code sender}, or fails it. */
  private void streaming(FlowControlledSender<?> sender, Producer body) {
    Runnable task =
        () -> {
          try {
            body.run();
            sender.finish();
          } catch (Throwable t) {
            sender.fail(t);
          }
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      sender.fail(e);
    }
  }
}
