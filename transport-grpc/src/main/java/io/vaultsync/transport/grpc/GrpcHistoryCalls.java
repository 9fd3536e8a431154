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
import io.vaultsync.transport.grpc.v1.SeqAtRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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
    return calls
        .retrier()
        .call(
            calls.unary(
                "reading the history",
                vault,
                stub -> {
                  var response = stub.history(request.build());
                  return GrpcCalls.decode(
                      () -> FromProto.history(response, path, beforeSeq, limit));
                },
                GrpcHistoryCalls::noHistory));
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
    return calls
        .retrier()
        .call(
            calls.unary(
                "finding the seq at " + time,
                vault,
                stub -> {
                  long seq = stub.seqAt(request).getSeq();
                  if (seq < 0) {
                    throw GrpcCalls.malformed("seq " + seq + " for a time");
                  }
                  return seq;
                },
                GrpcHistoryCalls::noHistory));
  }

  /** UNIMPLEMENTED (a server from before issue 5) as a {@link NotFoundException} that says so. */
  private static <T> T noHistory() throws NotFoundException {
    throw new NotFoundException(
        "the server keeps no history (it is older than vaultsync's history support)");
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    if (seq < 0) {
      throw new IllegalArgumentException("manifest at seq " + seq + "; expected >= 0");
    }
    RemoteManifest m =
        calls.readManifest(
            vault,
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
    SnapshotInfo s = createNow ? call.run() : calls.retrier().call(call);
    return s != null ? s : HistoryProtocol.super.snapshot(vault, createNow);
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    if (seq < 0) {
      throw new IllegalArgumentException("snapshot seq " + seq + "; expected >= 0");
    }
    RemoteManifest m =
        calls.readManifest(
            vault,
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
