package io.vaultsync.server.app;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vaultsync.core.transport.VaultTransport;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.VaultSyncServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's gRPC face: a Netty server bound to exactly the address asked for (never all
 * interfaces), plaintext or TLS, serving the transport-grpc service over the server's vaults and
 * checking every call's token against the token store. Blocking storage work runs on its own pool,
 * never on Netty's event loops.
 */
public final class GrpcRpcEndpoint implements RpcEndpoint {
  @Override
  public Running start(
      InetSocketAddress listen, VaultTransport backend, TokenStore tokens, TlsFiles tls)
      throws IOException {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "vaultsync-rpc-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    NettyServerBuilder builder =
        tls == null
            ? NettyServerBuilder.forAddress(listen)
            : NettyServerBuilder.forAddress(listen, credentials(tls));
    // clients ping after 30 s of silence on a call (a watcher's idle Subscribe) to find a dead
    // connection; gRPC's default (one ping per 5 minutes) would answer them with GOAWAY
    builder.permitKeepAliveTime(
        GrpcClientOptions.MIN_KEEPALIVE_TIME.toNanos(), TimeUnit.NANOSECONDS);
    Server server =
        VaultSyncServices.configure(builder)
            .addService(
                VaultSyncServices.definition(
                    backend,
                    token -> {
                      try {
                        return tokens.deviceFor(token);
                      } catch (IOException e) {
                        // The token database failed: refuse the call rather than guess.
                        throw new UncheckedIOException("cannot check the device token", e);
                      }
                    },
                    pool))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      pool.shutdownNow();
      throw new IOException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    return new Running() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() throws IOException {
        server.shutdown();
        try {
          if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
          }
        } catch (InterruptedException e) {
          server.shutdownNow();
          Thread.currentThread().interrupt();
        } finally {
          pool.shutdownNow();
        }
      }
    };
  }

  private static ServerCredentials credentials(TlsFiles tls) throws IOException {
    return TlsServerCredentials.create(tls.certificate().toFile(), tls.privateKey().toFile());
  }
}
