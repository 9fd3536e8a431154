package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.server.TestDeltas;
import io.vaultsync.server.vault.SubscriptionRecorder;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 10. A token revoked by {@code vaultsync server token revoke} (another process: a
 * second token store on the same database file) ends that token's open Subscribe stream within
 * seconds, with UNAUTHENTICATED "device token revoked", and its backend subscription; another
 * device's stream goes on. Connections without calls are closed after the idle time; one with an
 * open Subscribe is not.
 */
@Timeout(120)
class RevocationAndIdleTest {
  @TempDir Path dir;

  /** Serves {@code data} with {@code endpoint}, in plaintext on a free loopback port. */
  private static RpcEndpoint.Running serve(GrpcRpcEndpoint endpoint, ServerData data)
      throws IOException {
    return endpoint.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        data.vaults(),
        data.tokens(),
        null);
  }

  private static GrpcVaultTransport connect(int port, String token) throws IOException {
    return GrpcVaultTransport.connect(
        "127.0.0.1:" + port,
        token,
        ChannelSecurity.loopbackPlaintext(),
        GrpcClientOptions.DEFAULTS);
  }

  private static void put(ServerData data, String path, String text) throws IOException {
    byte[] delta = TestDeltas.delta(text.getBytes(StandardCharsets.UTF_8));
    data.vaults()
        .commit(
            "notes",
            List.of(new Mutation.Put(NotePath.of(path), null, delta)),
            "server-test",
            CommitOptions.DEFAULTS);
  }

  @Test
  void aTokenRevokedFromAnotherProcessLosesItsOpenSubscribeWithinSeconds() throws Exception {
    try (ServerData data = ServerData.open(dir, Clock.systemUTC());
        RpcEndpoint.Running rpc = serve(new GrpcRpcEndpoint(), data)) {
      data.vaults().createVault("notes");
      String laptop = data.tokens().create("laptop");
      String phone = data.tokens().create("phone");
      try (GrpcVaultTransport a = connect(rpc.port(), laptop);
          GrpcVaultTransport b = connect(rpc.port(), phone)) {
        SubscriptionRecorder ra = new SubscriptionRecorder();
        SubscriptionRecorder rb = new SubscriptionRecorder();
        Subscription sa = a.subscribe("notes", 0, ra);
        Subscription sb = b.subscribe("notes", 0, rb);
        await().atMost(Duration.ofSeconds(10)).until(() -> data.vaults().subscribers("notes") == 2);
        put(data, "one.md", "one\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> ra.received().size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> rb.received().size() == 1);

        // As `vaultsync server token revoke --data DIR --name laptop` does, in another process.
        try (ServerData.TokenDatabase cli = ServerData.openTokens(dir, Clock.systemUTC())) {
          assertThat(cli.tokens().revoke("laptop")).isTrue();
        }
        long revokedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(8)).until(() -> ra.closedBy() != null);
        long millis = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.println("revoked token's Subscribe ended " + millis + " ms after the revoke");
        assertThat(ra.closedBy())
            .isInstanceOf(AuthenticationException.class)
            .hasMessageContaining("device token revoked");
        await().atMost(Duration.ofSeconds(10)).until(() -> data.vaults().subscribers("notes") == 1);

        put(data, "two.md", "two\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> rb.received().size() == 2);
        assertThat(ra.received()).hasSize(1);
        assertThat(rb.closedBy()).isNull();
        sa.close();
        sb.close();
      }
    }
  }

  /** The bytes a client sends first on an HTTP/2 connection: the preface and an empty SETTINGS. */
  private static final byte[] PREFACE_AND_SETTINGS = {
    'P', 'R', 'I', ' ', '*', ' ', 'H', 'T', 'T', 'P', '/', '2', '.', '0', '\r', '\n', '\r', '\n',
    'S', 'M', '\r', '\n', '\r', '\n', 0, 0, 0, 4, 0, 0, 0, 0, 0
  };

  /**
   * Reads until the server closes the connection; returns when it did. (An idle HTTP/2 connection
   * is closed gracefully: GOAWAY, then a ping whose answer the server waits up to 10 s for; these
   * raw sockets never answer, so each closes ~10 s after the idle limit.)
   */
  private static void readUntilClosed(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    while (in.read(buf) >= 0) {
      // SETTINGS, pings, GOAWAY: discarded
    }
  }

  @Test
  void idleConnectionsAreClosedAndOneWithAnOpenSubscribeIsNot() throws Exception {
    ConnectionLimits shortIdle =
        new ConnectionLimits(
            Duration.ofMillis(500),
            Duration.ofMinutes(1),
            Duration.ofSeconds(20),
            Duration.ofSeconds(20),
            Duration.ofSeconds(2));
    try (ServerData data = ServerData.open(dir, Clock.systemUTC());
        RpcEndpoint.Running rpc = serve(new GrpcRpcEndpoint(shortIdle), data)) {
      data.vaults().createVault("notes");
      String token = data.tokens().create("laptop");
      List<Socket> idle = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), rpc.port());
          s.setSoTimeout(40_000);
          if (i % 2 == 0) {
            OutputStream out = s.getOutputStream();
            out.write(PREFACE_AND_SETTINGS);
            out.flush();
          }
          idle.add(s);
        }
        try (GrpcVaultTransport watcher = connect(rpc.port(), token)) {
          SubscriptionRecorder r = new SubscriptionRecorder();
          Subscription sub = watcher.subscribe("notes", 0, r);
          long start = System.nanoTime();
          for (Socket s : idle) {
            readUntilClosed(s); // a SocketTimeoutException after 40 s fails the test
          }
          System.out.println(
              "20 idle connections closed within "
                  + (System.nanoTime() - start) / 1_000_000
                  + " ms (idle limit 500 ms)");
          // The watcher's connection carries a call, so it is not idle: a change still arrives.
          put(data, "late.md", "late\n");
          await().atMost(Duration.ofSeconds(10)).until(() -> r.received().size() == 1);
          assertThat(r.closedBy()).isNull();
          sub.close();
        }
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }
}
