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
import org.junit.jupiter.api.AfterEach;
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

  private Path cert;
  private ServerData opened;
  private RpcEndpoint.Running rpc;
  private String token;

  /** Opens a data folder and serves it over TLS with a fresh certificate; a token for "laptop". */
  @BeforeEach
  void serveTls() throws Exception {
    TlsFiles files = TestCertificates.make(dir).files;
    cert = files.certificate();
    opened = ServerData.open(dir.resolve("data"), Clock.systemUTC());
    rpc =
        new GrpcRpcEndpoint()
            .start(new InetSocketAddress("127.0.0.1", 0), opened.vaults(), opened.tokens(), files);
    token = opened.tokens().create("laptop");
  }

  @AfterEach
  void stop() throws IOException {
    if (rpc != null) {
      rpc.close();
    }
    if (opened != null) {
      opened.close();
    }
  }

  @Test
  void clientTrustingTheCertificateSyncsAndPlaintextIsRefused() throws Exception {
    String target = "localhost:" + rpc.port();
    try (GrpcVaultTransport client =
        GrpcVaultTransport.connect(
            target, token, ChannelSecurity.tls(cert), GrpcClientOptions.DEFAULTS)) {
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

  @Test
  void clientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    GrpcClientOptions quick = GrpcClientOptions.DEFAULTS.withUnaryDeadline(Duration.ofSeconds(5));
    try (GrpcVaultTransport client =
        GrpcVaultTransport.connect(
            "localhost:" + rpc.port(), token, ChannelSecurity.tls(), quick)) {
      assertThatThrownBy(client::listVaults).isInstanceOf(IOException.class);
    }
  }
}
