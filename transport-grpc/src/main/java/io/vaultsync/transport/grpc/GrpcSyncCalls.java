package io.vaultsync.transport.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.format.RawLiteralOutput;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.ChangesSinceRequest;
import io.vaultsync.transport.grpc.v1.CommitRequest;
import io.vaultsync.transport.grpc.v1.CommitResponse;
import io.vaultsync.transport.grpc.v1.GetManifestRequest;
import io.vaultsync.transport.grpc.v1.GetRootRequest;
import io.vaultsync.transport.grpc.v1.GiveBackResponse;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.PushResponse;
import io.vaultsync.transport.grpc.v1.SubscribeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The client side of {@link SyncProtocol} over gRPC, for {@link GrpcVaultTransport}: the change
 * feed, the listing, pushes and commits on top of the downloads of {@link GrpcFetchCalls}. The
 * documentation of each call (limits, retries) is on {@link GrpcVaultTransport}.
 */
final class GrpcSyncCalls extends GrpcFetchCalls implements SyncProtocol {
  GrpcSyncCalls(GrpcCalls calls, OneByOne oneByOne) {
    super(calls, oneByOne);
  }

  /** Whether the server answered a request for folder moves with folder_moves (issue 16). */
  private volatile boolean takesFolderMoves;

  @Override
  public boolean takesFolderMoves() {
    return takesFolderMoves;
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    return subscribe(vault, afterSeq, listener, false);
  }

  @Override
  public Subscription subscribe(
      String vault, long afterSeq, ChangeListener listener, boolean folderMoves)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    VaultTransport.checkSeq("subscribe after seq", afterSeq);
    SubscribeCall call = new SubscribeCall(vault, afterSeq, listener, calls.stats::answered);
    calls
        .async()
        .subscribe(
            SubscribeRequest.newBuilder()
                .setVault(vault)
                .setAfterSeq(afterSeq)
                .setFolderMoves(folderMoves)
                .build(),
            call);
    return call;
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    return changesSince(vault, afterSeq, limit, false);
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    VaultTransport.checkChangesArguments(afterSeq, limit);
    ChangesSinceRequest request =
        ChangesSinceRequest.newBuilder()
            .setVault(vault)
            .setAfterSeq(afterSeq)
            .setLimit(limit)
            .setFolderMoves(folderMoves)
            .build();
    return calls.retried(
        "asking for the changes after seq " + afterSeq,
        vault,
        stub -> {
          var response = stub.changesSince(request);
          if (response.getChangesCount() > limit) {
            throw GrpcCalls.malformed(
                response.getChangesCount() + " changes for a limit of " + limit);
          }
          if (response.getFolderMoves()) {
            takesFolderMoves = true;
          }
          return GrpcCalls.decode(() -> FromProto.changePage(response));
        });
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return calls.readManifest(
        vault,
        "reading the file list of vault " + vault,
        stub -> stub.getManifest(GetManifestRequest.newBuilder().setVault(vault).build()));
  }

  /** A server from before GetRoot (UNIMPLEMENTED) is answered from its manifest. */
  @Override
  public VaultRoot root(String vault) throws IOException {
    VaultRoot root =
        calls.retried(
            "reading the root of vault " + vault,
            vault,
            stub -> {
              var r = stub.getRoot(GetRootRequest.newBuilder().setVault(vault).build());
              return GrpcCalls.decode(() -> FromProto.vaultRoot(r));
            },
            () -> null);
    return root != null ? root : SyncProtocol.super.root(vault);
  }

  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(delta, "delta");
    PushHeader header = ToProto.pushHeader(vault, path, base);
    String what = "uploading " + path.value();
    try {
      PushResponse response =
          this.<PushResponse>pushSender(what).push(calls.async()::push, header, delta);
      if (!response.hasEntry()) {
        throw GrpcCalls.malformed("a push answer with no entry");
      }
      return GrpcCalls.decode(() -> FromProto.entry(response.getEntry()));
    } catch (StatusRuntimeException e) {
      throw calls.failure(e, what, null, null, vault, path.value(), base);
    } catch (RemoteStalledException e) {
      calls.markConnectionFailed(); // the network took no chunk, or the answer never came
      throw e;
    }
  }

  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(delta, "delta");
    PushHeader header = ToProto.giveBackHeader(vault, hash);
    try {
      return this.<GiveBackResponse>pushSender("giving back " + hash)
          .push(calls.async()::giveBack, header, delta)
          .getStored();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return false;
      }
      throw FromStatus.toException(e, vault, null, null);
    }
  }

  private <R> PushSender<R> pushSender(String what) {
    return new PushSender<>(calls.options.stallTimeout(), calls.options.unaryDeadline(), what);
  }

  @Override
  public List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions commitOptions)
      throws IOException {
    List<io.vaultsync.transport.grpc.v1.Mutation> encoded = new ArrayList<>(mutations.size());
    long deltaBytes = 0;
    for (Mutation m : mutations) {
      var e = ToProto.mutation(m);
      deltaBytes += e.hasPut() ? e.getPut().getDelta().size() : 0;
      encoded.add(e);
    }
    // zstd only pays on bulk: a one-line edit's few bytes grow by the frame's header (live edits)
    boolean zstd = calls.zstd.canSend() && deltaBytes >= WireLimits.ZSTD_AT_BYTES;
    if (zstd) {
      for (int i = 0; i < encoded.size(); i++) {
        encoded.set(i, rawLiterals(encoded.get(i)));
      }
    }
    List<Outcome> outcomes = new ArrayList<>(mutations.size());
    var batches = MessageBatcher.split(encoded, Limits.COMMIT_BYTES, Limits.COMMIT_MUTATIONS);
    if (batches.isEmpty()) {
      batches = List.of(List.of()); // still one call: an unknown vault must say so
    }
    for (var batch : batches) {
      CommitResponse response = commitCall(vault, batch, commitOptions, zstd);
      if (response.getOutcomesCount() != batch.size()) {
        throw GrpcCalls.malformed(
            response.getOutcomesCount() + " outcomes for " + batch.size() + " mutations");
      }
      for (int i = 0; i < batch.size(); i++) {
        var o = CompactOutcomes.expand(batch.get(i), response.getOutcomes(i));
        outcomes.add(GrpcCalls.decode(() -> FromProto.outcome(o)));
      }
    }
    return outcomes;
  }

  /**
   * {@code m} with its put's delta in raw literals (for a zstd-compressed commit), unless that
   * would pass the inline limit.
   */
  private static io.vaultsync.transport.grpc.v1.Mutation rawLiterals(
      io.vaultsync.transport.grpc.v1.Mutation m) throws IOException {
    if (!m.hasPut()) {
      return m;
    }
    var put = m.getPut();
    byte[] raw = RawLiteralOutput.of(put.getDelta().toByteArray());
    if (raw.length > Limits.INLINE_DELTA_BYTES) {
      return m;
    }
    return m.toBuilder()
        .setPut(put.toBuilder().setDelta(UnsafeByteOperations.unsafeWrap(raw)))
        .build();
  }

  /** One Commit call for one batch; retried unless it carries deletes. */
  private CommitResponse commitCall(
      String vault,
      List<io.vaultsync.transport.grpc.v1.Mutation> batch,
      CommitOptions options,
      boolean zstd)
      throws IOException {
    CommitRequest request =
        CommitRequest.newBuilder()
            .setVault(vault)
            .addAllMutations(batch)
            .setAllowMassDelete(options.allowMassDelete())
            .setCompactOutcomes(true)
            .setRefusedOutcomes(true)
            .build();
    Duration deadline = calls.options.commitDeadline(request.getSerializedSize());
    String what = "committing " + batch.size() + (batch.size() == 1 ? " change" : " changes");
    CallRetrier.Attempt<CommitResponse> call =
        () -> {
          try {
            var stub = calls.blocking(deadline);
            if (zstd) {
              stub = stub.withCompression(ZstdCodec.NAME);
            } else if (WireLimits.worthCompressing(request)) {
              stub = stub.withCompression("gzip");
            }
            return stub.commit(request);
          } catch (StatusRuntimeException e) {
            throw calls.failure(e, what, null, deadline, vault, null, null);
          }
        };
    boolean deletes = batch.stream().anyMatch(m -> m.hasDelete());
    return deletes ? call.run() : calls.retrier.call(call);
  }
}
