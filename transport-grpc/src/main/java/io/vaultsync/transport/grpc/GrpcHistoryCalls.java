package io.vaultsync.transport.grpc;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.HistoryProtocol;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.GetManifestAtRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotManifestRequest;
import io.vaultsync.transport.grpc.v1.GetSnapshotRequest;
import io.vaultsync.transport.grpc.v1.HistoryRequest;
import io.vaultsync.transport.grpc.v1.ManifestChunk;
import io.vaultsync.transport.grpc.v1.SeqAtRequest;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The client side of {@link HistoryProtocol} over gRPC, for {@link GrpcVaultTransport}. A server
 * from before history (UNIMPLEMENTED) answers {@link NotFoundException}, one from before snapshots
 * as the interface's default does.
 */
final class GrpcHistoryCalls implements HistoryProtocol {
  private final GrpcCalls calls;

  GrpcHistoryCalls(GrpcCalls calls) {
    this.calls = calls;
  }

  /**
   * {@inheritDoc} The server returns at most 1,000 versions (and ~2 MiB) per call. A server from
   * before History (UNIMPLEMENTED) answers {@link NotFoundException}.
   */
  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    HistoryRequest.Builder request =
        HistoryRequest.newBuilder().setVault(vault).setBeforeSeq(beforeSeq).setLimit(limit);
    if (path != null) {
      request.setPath(path.value());
    }
    return calls.retried(
        "reading the history",
        vault,
        stub -> {
          var response = stub.history(request.build());
          return GrpcCalls.decode(() -> FromProto.history(response, path, beforeSeq, limit));
        },
        GrpcHistoryCalls::noHistory);
  }

  @Override
  public long seqAt(String vault, Instant time) throws IOException {
    Objects.requireNonNull(time, "time");
    long millis = HistoryProtocol.seqAtMillis(time);
    SeqAtRequest request = SeqAtRequest.newBuilder().setVault(vault).setTimeMillis(millis).build();
    return calls.retried(
        "finding the seq at " + time,
        vault,
        stub -> {
          long seq = stub.seqAt(request).getSeq();
          if (seq < 0) {
            throw GrpcCalls.malformed("seq " + seq + " for a time");
          }
          return seq;
        },
        GrpcHistoryCalls::noHistory);
  }

  /** UNIMPLEMENTED (a server from before issue 5) as a {@link NotFoundException} that says so. */
  private static <T> T noHistory() throws NotFoundException {
    throw new NotFoundException(
        "the server keeps no history (it is older than vaultsync's history support)");
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    RemoteManifest m =
        manifestAtSeq(
            vault,
            seq,
            "manifest at seq",
            "reading the file list at seq " + seq,
            stub ->
                stub.getManifestAt(
                    GetManifestAtRequest.newBuilder().setVault(vault).setSeq(seq).build()));
    if (m.headSeq() > seq) {
      throw GrpcCalls.malformed("the manifest at seq " + seq + " says " + m.headSeq());
    }
    return m;
  }

  /**
   * The manifest a listing call returns for {@code seq}: a negative seq is refused naming {@code
   * what} ("manifest at seq"); {@code doing} says what the call was doing when it failed.
   */
  private RemoteManifest manifestAtSeq(
      String vault,
      long seq,
      String what,
      String doing,
      Function<VaultSyncGrpc.VaultSyncBlockingStub, Iterator<ManifestChunk>> call)
      throws IOException {
    VaultTransport.checkSeq(what, seq);
    return calls.readManifest(vault, doing, call);
  }

  /**
   * {@inheritDoc} A server from before GetSnapshot (UNIMPLEMENTED) answers NotFoundException.
   * Retried only when it takes no snapshot ({@code createNow} false).
   */
  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    CallRetrier.Attempt<SnapshotInfo> call =
        calls.unary(
            createNow ? "taking a snapshot" : "reading the latest snapshot",
            vault,
            stub -> {
              var r =
                  stub.getSnapshot(
                      GetSnapshotRequest.newBuilder()
                          .setVault(vault)
                          .setCreateNow(createNow)
                          .build());
              return GrpcCalls.decode(() -> FromProto.snapshot(r));
            },
            () -> null);
    SnapshotInfo s = createNow ? call.run() : calls.retrier.call(call);
    return s != null ? s : HistoryProtocol.super.snapshot(vault, createNow);
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    RemoteManifest m =
        manifestAtSeq(
            vault,
            seq,
            "snapshot seq",
            "reading the file list of the snapshot at seq " + seq,
            stub ->
                stub.getSnapshotManifest(
                    GetSnapshotManifestRequest.newBuilder().setVault(vault).setSeq(seq).build()));
    if (m.headSeq() != seq) {
      throw GrpcCalls.malformed("snapshot " + seq + " at seq " + m.headSeq());
    }
    return m;
  }
}
