package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.RemoteUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the server cannot read its token store (its database is unreachable, as a process of a
 * shared server sees it during an outage), a call is refused as UNAVAILABLE, which clients retry,
 * not as a failed authentication or an internal error; once the store is back the token works.
 */
@Timeout(60)
class TokenStoreOutageTest {
  private final AtomicBoolean down = new AtomicBoolean();
  private ExecutorService workers;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    workers = Executors.newFixedThreadPool(2);
    String name = InProcessServerBuilder.generateName();
    server =
        VaultSyncServices.configure(InProcessServerBuilder.forName(name))
            .addService(
                VaultSyncServices.definition(
                    new ObservedBackend(),
                    token -> {
                      if (down.get()) {
                        throw new UncheckedIOException(
                            "cannot check the device token", new IOException("connection refused"));
                      }
                      return token.equals("good-token-0123456789")
                          ? Optional.of("laptop")
                          : Optional.empty();
                    },
                    workers,
                    VaultSyncServices.DEFAULT_PUSH_IDLE_TIMEOUT,
                    null))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    workers.shutdownNow();
  }

  @Test
  void anUnreadableTokenStoreIsUnavailableNotRefused() throws IOException {
    GrpcVaultTransport client =
        GrpcVaultTransport.over(channel, "good-token-0123456789", GrpcClientOptions.DEFAULTS);
    down.set(true);
    assertThatThrownBy(client::listVaults)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("cannot check tokens now")
        .isNotInstanceOf(AuthenticationException.class);
    down.set(false);
    client.listVaults(); // the same token works once the store is back
  }
}
