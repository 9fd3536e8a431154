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

  /** A data folder served over TLS with the test's certificate, and a token for "laptop". */
  private record TlsServer(ServerData data, RpcEndpoint.Running rpc, String token)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        rpc.close();
      } finally {
        data.close();
      }
    }
  }

  private TlsServer serveTls() throws IOException {
    ServerData data = ServerData.open(dir.resolve("data"), Clock.systemUTC());
    try {
      RpcEndpoint.Running rpc =
          new GrpcRpcEndpoint()
              .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), files);
      return new TlsServer(data, rpc, data.tokens().create("laptop"));
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
  }

  @Test
  void clientTrustingTheCertificateSyncsAndPlaintextIsRefused() throws Exception {
    try (TlsServer server = serveTls()) {
      String target = "localhost:" + server.rpc().port();
      try (GrpcVaultTransport client =
          GrpcVaultTransport.connect(
              target,
              server.token(),
              ChannelSecurity.tls(files.certificate()),
              GrpcClientOptions.DEFAULTS)) {
        client.createVault("notes");
        assertThat(client.listVaults()).extracting(v -> v.name()).containsExactly("notes");
      }
      GrpcClientOptions quick = GrpcClientOptions.DEFAULTS.withUnaryDeadline(Duration.ofSeconds(5));
      try (GrpcVaultTransport plain =
          GrpcVaultTransport.connect(
              "127.0.0.1:" + server.rpc().port(),
              server.token(),
              ChannelSecurity.loopbackPlaintext(),
              quick)) {
        assertThatThrownBy(plain::listVaults).isInstanceOf(TransportException.class);
      }
    }
  }

  @Test
  void clientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    GrpcClientOptions quick = GrpcClientOptions.DEFAULTS.withUnaryDeadline(Duration.ofSeconds(5));
    try (TlsServer server = serveTls();
        GrpcVaultTransport client =
            GrpcVaultTransport.connect(
                "localhost:" + server.rpc().port(), server.token(), ChannelSecurity.tls(), quick)) {
      assertThatThrownBy(client::listVaults).isInstanceOf(IOException.class);
    }
  }
}
