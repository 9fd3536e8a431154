package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.TransportException;
import io.vaultsync.server.http.TestCertificates;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server serves TLS when given a PEM certificate and key: a client that trusts the certificate
 * syncs, a plaintext client is refused. The certificate is made per test by the JDK's keytool
 * (self-signed, for 127.0.0.1 and localhost), so the test needs nothing beyond the JDK.
 */
@Timeout(120)
class TlsEndpointTest {
  @TempDir Path dir;

  private TlsFiles files;

  @BeforeEach
  void makeCertificate() throws Exception {
    files = TestCertificates.make(dir).files;
  }

  /** Serves {@code data} over TLS with the test's certificate, on a free port. */
  private RpcEndpoint.Running serveTls(ServerData data) throws IOException {
    return new GrpcRpcEndpoint()
        .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), files);
  }

  @Test
  void clientTrustingTheCertificateSyncsAndPlaintextIsRefused() throws Exception {
    try (ServerData data = ServerData.open(dir.resolve("data"), Clock.systemUTC());
        RpcEndpoint.Running rpc = serveTls(data)) {
      String token = data.tokens().create("laptop");
      String target = "localhost:" + rpc.port();
      try (GrpcVaultTransport client =
          GrpcVaultTransport.connect(
              target,
              token,
              ChannelSecurity.tls(files.certificate()),
              GrpcClientOptions.DEFAULTS)) {
        client.createVault("notes");
        assertThat(client.listVaults()).extracting(v -> v.name()).containsExactly("notes");
      }
      GrpcClientOptions quick = GrpcClientOptions.DEFAULTS.withUnaryDeadline(Duration.ofSeconds(5));
      try (GrpcVaultTransport plain =
          GrpcVaultTransport.connect(
              "127.0.0.1:" + rpc.port(), token, ChannelSecurity.loopbackPlaintext(), quick)) {
        assertThatThrownBy(plain::listVaults).isInstanceOf(TransportException.class);
      }
    }
  }

  @Test
  void clientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    GrpcClientOptions quick = GrpcClientOptions.DEFAULTS.withUnaryDeadline(Duration.ofSeconds(5));
    try (ServerData data = ServerData.open(dir.resolve("data"), Clock.systemUTC());
        RpcEndpoint.Running rpc = serveTls(data);
        GrpcVaultTransport client =
            GrpcVaultTransport.connect(
                "localhost:" + rpc.port(),
                data.tokens().create("laptop"),
                ChannelSecurity.tls(),
                quick)) {
      assertThatThrownBy(client::listVaults).isInstanceOf(IOException.class);
    }
  }
}
