package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.AdminProtocol;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.transport.grpc.v1.CreateVaultRequest;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The client side of {@link AdminProtocol} over gRPC, for {@link GrpcVaultTransport}. */
final class GrpcAdminCalls implements AdminProtocol {
  private final GrpcCalls calls;

  GrpcAdminCalls(GrpcCalls calls) {
    this.calls = calls;
  }

  /** Not retried: a retry after a lost answer would find the vault and fail. */
  @Override
  public void createVault(String vault) throws IOException {
    calls.once(
        "creating vault " + vault,
        vault,
        stub -> stub.createVault(CreateVaultRequest.newBuilder().setVault(vault).build()));
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    return calls.retried(
        "listing the vaults",
        null,
        stub -> {
          var response = stub.listVaults(ListVaultsRequest.getDefaultInstance());
          List<VaultInfo> out = new ArrayList<>(response.getVaultsCount());
          for (var v : response.getVaultsList()) {
            out.add(GrpcCalls.decode(() -> FromProto.vaultInfo(v)));
          }
          return out;
        });
  }
}
