package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OpenCalls} over a real Netty server (issue 12 item 10): ending a token's calls closes its
 * Subscribe with UNAUTHENTICATED and the reason and ends the backend subscription, leaves another
 * token's calls alone, and wakes a Fetch producer blocked on flow control even while the client
 * reads nothing.
 */
@Timeout(120)
class OpenCallsTest {
  static final String REVOKED = "token-of-the-lost-phone-0123";
  static final String KEPT = "token-of-the-laptop-456789012";
  static final TokenAuthenticator AUTH =
      token ->
          token.equals(REVOKED)
              ? Optional.of("phone")
              : token.equals(KEPT) ? Optional.of("laptop") : Optional.empty();

  ObservedBackend backend;
  ExecutorService workers;
  OpenCalls openCalls;
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    backend = new ObservedBackend();
    workers = Executors.newFixedThreadPool(4);
    openCalls = new OpenCalls();
    server =
        VaultSyncServices.configure(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
            .addService(
                VaultSyncServices.definition(
                    backend, AUTH, workers, VaultSyncServices.DEFAULT_PUSH_IDLE_TIMEOUT, openCalls))
            .build()
            .start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .maxInboundMessageSize(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    workers.shutdownNow();
  }

  static final class Recorder implements ChangeListener {
    final AtomicReference<IOException> closed = new AtomicReference<>();
    volatile int changes;

    @Override
    public void onChanges(List<Change> c, long headSeq) {
      changes += c.size();
    }

    @Override
    public void onClosed(IOException cause) {
      closed.set(cause);
    }
  }

  @Test
  void endingATokensCallsClosesItsSubscribeAndLeavesTheOthers() throws Exception {
    GrpcVaultTransport phone =
        GrpcVaultTransport.over(channel, REVOKED, GrpcClientOptions.DEFAULTS);
    GrpcVaultTransport laptop = GrpcVaultTransport.over(channel, KEPT, GrpcClientOptions.DEFAULTS);
    laptop.createVault("notes");
    Recorder rp = new Recorder();
    Recorder rl = new Recorder();
    phone.subscribe("notes", 0, rp);
    laptop.subscribe("notes", 0, rl);
    await().atMost(Duration.ofSeconds(10)).until(() -> openCalls.size() == 2);

    assertThat(openCalls.endCalls(REVOKED::equals, "device token revoked")).isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> rp.closed.get() != null);
    assertThat(rp.closed.get())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("device token revoked");
    await().atMost(Duration.ofSeconds(10)).until(() -> openCalls.size() == 1);
    assertThat(rl.closed.get()).isNull();
    assertThat(openCalls.endCalls(t -> false, "x")).isZero();
  }

  @Test
  void endingACallWakesAFetchProducerBlockedOnAClientThatReadsNothing() throws Exception {
    GrpcVaultTransport phone =
        GrpcVaultTransport.over(channel, REVOKED, GrpcClientOptions.DEFAULTS);
    StallingOutput stalls = new StallingOutput(new IOException("reader gone"));
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<?> fetch =
          caller.submit(
              () -> {
                phone.fetch("notes", ObservedBackend.BIG, null, stalls);
                return null;
              });
      assertThat(stalls.firstWrite.await(30, TimeUnit.SECONDS)).isTrue();
      backend.awaitBigProducerWaiting();

      assertThat(openCalls.endCalls(REVOKED::equals, "device token revoked")).isEqualTo(1);

      assertThat(backend.bigEnded.await(30, TimeUnit.SECONDS))
          .as("the blocked producer woke up while the client still reads nothing")
          .isTrue();
      assertThat(backend.bigWritten.get()).isLessThan(ObservedBackend.BIG_BYTES);
      stalls.release();
      org.assertj.core.api.Assertions.catchThrowable(() -> fetch.get(30, TimeUnit.SECONDS));
    } finally {
      stalls.release();
      caller.shutdownNow();
    }
  }
}
