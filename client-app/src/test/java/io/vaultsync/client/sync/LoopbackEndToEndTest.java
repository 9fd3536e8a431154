package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server (SQLite ledger, pack store, master folder) behind the real gRPC service on
 * 127.0.0.1 port 0, each client with its own token and connection: {@link LoopbackServer}, which
 * {@link ConvergencePropertyTest} also runs the convergence property against (every replica must
 * equal the server's master copy on disk).
 */
class LoopbackEndToEndTest {
  @TempDir Path tmp;

  /**
   * The real server refuses a mass delete over gRPC even from a client whose own limits let it
   * through, and nothing is deleted in the ledger or the master folder; the client holds those
   * deletes back (the refusal's trailer names the counts) and sends the rest of the batch again;
   * with --allow-mass-delete (sent on every commit call) it goes through.
   */
  @Test
  @Timeout(60)
  void theServerRefusesAMassDeleteOverGrpcAndTheClientHoldsItBackUntilAllowed() throws Exception {
    try (LoopbackServer server = new LoopbackServer(tmp.resolve("server"))) {
      Replica a = new Replica(tmp.resolve("a"), "laptop", server.connect("laptop"));
      java.nio.file.Files.createDirectories(a.dir);
      for (int i = 0; i < 30; i++) {
        a.write("n" + i + ".md", "note " + i + "\n");
      }
      a.init();
      for (int i = 0; i < 15; i++) {
        a.delete("n" + i + ".md");
      }
      a.write("new.md", "written with the deletes\n");
      SyncOptions loose = new SyncOptions(false, DeleteLimits.NONE);

      SyncReport held = a.sync(loose);
      org.assertj.core.api.Assertions.assertThat(held.notSynced())
          .hasSize(15)
          .allMatch(n -> n.kind() == NotSynced.Kind.HELD_BACK)
          .allMatch(n -> n.reason().contains("the server refused"));
      org.assertj.core.api.Assertions.assertThat(held.filesUp()).isEqualTo(1);
      org.assertj.core.api.Assertions.assertThat(server.masterCopy())
          .hasSize(31)
          .containsKey("new.md");

      a.sync(new SyncOptions(true, DeleteLimits.NONE));
      org.assertj.core.api.Assertions.assertThat(server.masterCopy()).hasSize(16);
    }
  }

  /** A whole server on loopback, as `vaultsync server` runs it. */
  static final class LoopbackServer implements ConvergencePropertyTest.Backend {
    private final Path data;
    private final ServerData opened;
    private final RpcEndpoint.Running rpc;
    private final List<GrpcVaultTransport> clients = new ArrayList<>();

    LoopbackServer(Path data) throws IOException {
      this(data, io.vaultsync.server.limits.StorageLimits.DEFAULTS);
    }

    LoopbackServer(Path data, io.vaultsync.server.limits.StorageLimits limits) throws IOException {
      this.data = data;
      this.opened = ServerData.open(data, Clock.systemUTC(), DeleteLimits.DEFAULTS, limits);
      this.rpc =
          new GrpcRpcEndpoint()
              .start(new InetSocketAddress("127.0.0.1", 0), opened.vaults(), opened.tokens(), null);
    }

    @Override
    public VaultTransport connect(String device) throws IOException {
      String token = opened.tokens().create(device);
      GrpcVaultTransport t =
          GrpcVaultTransport.connect(
              "127.0.0.1:" + rpc.port(),
              token,
              ChannelSecurity.loopbackPlaintext(),
              GrpcClientOptions.DEFAULTS);
      clients.add(t);
      return t;
    }

    @Override
    public Map<String, ContentHash> masterCopy() throws IOException {
      opened.vaults().awaitMirrored(Replica.VAULT);
      Map<String, ContentHash> out = new TreeMap<>();
      new ManifestScanner()
          .scan(ServerData.vaultsRoot(data).resolve(Replica.VAULT))
          .manifest()
          .entries()
          .forEach(e -> out.put(e.path().value(), e.hash()));
      return out;
    }

    @Override
    public boolean stores(ContentHash hash) throws IOException {
      try {
        opened.vaults().fetch(Replica.VAULT, hash, null, OutputStream.nullOutputStream());
        return true;
      } catch (NotFoundException e) {
        return false;
      }
    }

    @Override
    public String toString() {
      return "loopback gRPC server on port " + rpc.port();
    }

    @Override
    public void close() throws IOException {
      for (GrpcVaultTransport c : clients) {
        c.close();
      }
      rpc.close();
      opened.close();
    }
  }
}
