package io.vaultsync.server.contract;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.ContentDamage;
import io.vaultsync.protocol.testkit.VaultProtocolContract;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.store.StoredObject;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite against the real server, as {@code vaultsync server} runs it (SQLite ledger,
 * pack store, master folders, share links), reached by the real gRPC client over 127.0.0.1 port 0,
 * one token and connection per device. Its hooks do what an operator or a disk would: compaction is
 * {@code vaultsync server compact}'s, and lost content is a pack whose bytes of it were damaged and
 * a master folder that no longer holds it.
 */
class GrpcServerProtocolContractTest extends VaultProtocolContract {
  @TempDir Path tmp;

  @Override
  protected Backend start(Settings settings) throws IOException {
    ServerData data =
        ServerData.open(
            tmp.resolve("server"),
            settings.clock(),
            settings.deleteLimits(),
            new StorageLimits(
                settings.sizes().maxFileBytes(),
                OptionalLong.of(settings.sizes().vaultQuotaBytes())));
    RpcEndpoint.Running rpc;
    try {
      // Links need a public base URL; no HTTP endpoint is started, none is opened here.
      data.shares().baseUrl(URI.create("http://127.0.0.1:1/"));
      rpc =
          new GrpcRpcEndpoint()
              .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), null);
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    List<GrpcVaultTransport> clients = new ArrayList<>();
    return new Backend() {
      @Override
      public VaultTransport connect(String device) throws IOException {
        GrpcVaultTransport client =
            GrpcVaultTransport.connect(
                "127.0.0.1:" + rpc.port(),
                data.tokens().create(device),
                ChannelSecurity.loopbackPlaintext(),
                GrpcClientOptions.DEFAULTS);
        clients.add(client);
        return client;
      }

      @Override
      public void loseContent(String vault, ContentHash hash) throws IOException {
        byte[] content;
        try (InputStream in = data.content().open(hash).stream()) {
          content = in.readAllBytes();
        }
        data.vaults().awaitMirrored(vault);
        deleteCopies(data.vaults().folder(VaultName.of(vault)), hash);
        damageCopies(data.dir().resolve("store"), content);
        StoredObject still;
        try {
          still = data.content().open(hash);
        } catch (IOException expected) {
          return; // the store found it damaged: it no longer serves it and the server wants it
        }
        throw new AssertionError("content " + hash.hex() + " is still served: " + still);
      }

      @Override
      public long compact(String vault) throws IOException {
        data.vaults().awaitMirrored(vault);
        return data.vaults().compact(VaultName.of(vault), null).horizonAfter();
      }

      @Override
      public void close() throws IOException {
        for (GrpcVaultTransport c : clients) {
          c.close();
        }
        rpc.close();
        data.close();
      }
    };
  }

  /** Deletes the files of the master folder {@code folder} that hold {@code hash}. */
  private static void deleteCopies(Path folder, ContentHash hash) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      if (ContentHash.digestOf(Files.readAllBytes(f)).equals(hash)) {
        Files.delete(f);
      }
    }
  }

  /** Flips the first byte of every copy of {@code content} in the packs under {@code store}. */
  private static void damageCopies(Path store, byte[] content) throws IOException {
    int damaged =
        ContentDamage.flipCopies(store, content, p -> p.getFileName().toString().endsWith(".pack"));
    if (damaged == 0) {
      throw new AssertionError("no copy of the content found in the packs under " + store);
    }
  }
}
