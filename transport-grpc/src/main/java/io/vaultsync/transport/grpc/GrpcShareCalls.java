package io.vaultsync.transport.grpc;

import io.grpc.StatusRuntimeException;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.ShareProtocol;
import io.vaultsync.transport.grpc.v1.CreateShareRequest;
import io.vaultsync.transport.grpc.v1.ListSharesRequest;
import io.vaultsync.transport.grpc.v1.RevokeShareRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The client side of {@link ShareProtocol} over gRPC, for {@link GrpcVaultTransport}. */
final class GrpcShareCalls implements ShareProtocol {
  private final GrpcCalls calls;

  GrpcShareCalls(GrpcCalls calls) {
    this.calls = calls;
  }

  /** Not retried: a retry after a lost answer would make a second link. */
  @Override
  public CreatedShare createShare(
      String vault, NotePath path, Instant expires, char[] password, String device)
      throws IOException {
    CreateShareRequest request =
        CreateShareRequest.newBuilder()
            .setVault(vault)
            .setPath(path.value())
            .setExpiresMillis(expires == null ? 0 : expires.toEpochMilli())
            .setPassword(password == null ? "" : new String(password))
            .build();
    try {
      var r = calls.blocking(calls.options.unaryDeadline()).createShare(request);
      return GrpcCalls.decode(
          () -> {
            if (r.getUrl().isEmpty() || r.getUrl().length() > 4096) {
              throw new IllegalArgumentException(
                  "share URL of " + r.getUrl().length() + " chars; expected 1 to 4096");
            }
            return new CreatedShare(FromProto.shareInfo(r.getShare()), r.getUrl());
          });
    } catch (StatusRuntimeException e) {
      throw calls.failure(
          e,
          "creating a share link",
          null,
          calls.options.unaryDeadline(),
          vault,
          path.value(),
          null);
    }
  }

  @Override
  public List<ShareInfo> listShares(String vault) throws IOException {
    return calls.retried(
        "listing the share links",
        vault,
        stub -> {
          var r = stub.listShares(ListSharesRequest.newBuilder().setVault(vault).build());
          return GrpcCalls.decode(
              () -> {
                List<ShareInfo> out = new ArrayList<>();
                for (var s : r.getSharesList()) {
                  out.add(FromProto.shareInfo(s));
                }
                return out;
              });
        });
  }

  /** Not retried: a retry after a lost answer would find no such link. */
  @Override
  public void revokeShare(String vault, String id) throws IOException {
    calls.once(
        "revoking a share link",
        vault,
        stub ->
            stub.revokeShare(RevokeShareRequest.newBuilder().setVault(vault).setId(id).build()));
  }
}
