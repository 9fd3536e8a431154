package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.transport.TransportException;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
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
  private Path key;

  @BeforeEach
  void makeCertificate() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", out).isZero();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey privateKey = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
    Certificate certificate = ks.getCertificate("server");
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Test
  void clientTrustingTheCertificateSyncsAndPlaintextIsRefused() throws Exception {
    Path data = dir.resolve("data");
    try (ServerData opened = ServerData.open(data, Clock.systemUTC());
        RpcEndpoint.Running rpc =
            new GrpcRpcEndpoint()
                .start(
                    new InetSocketAddress("127.0.0.1", 0),
                    opened.vaults(),
                    opened.tokens(),
                    new TlsFiles(cert, key))) {
      String token = opened.tokens().create("laptop");
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
  }

  @Test
  void clientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    Path data = dir.resolve("data");
    try (ServerData opened = ServerData.open(data, Clock.systemUTC());
        RpcEndpoint.Running rpc =
            new GrpcRpcEndpoint()
                .start(
                    new InetSocketAddress("127.0.0.1", 0),
                    opened.vaults(),
                    opened.tokens(),
                    new TlsFiles(cert, key))) {
      String token = opened.tokens().create("laptop");
      GrpcClientOptions quick = GrpcClientOptions.DEFAULTS.withUnaryDeadline(Duration.ofSeconds(5));
      try (GrpcVaultTransport client =
          GrpcVaultTransport.connect(
              "localhost:" + rpc.port(), token, ChannelSecurity.tls(), quick)) {
        assertThatThrownBy(client::listVaults).isInstanceOf(IOException.class);
      }
    }
  }
}
