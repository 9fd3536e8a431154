package io.vaultsync.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an in-memory {@link KeyStore} from the PEM files the gRPC listener uses ({@code
 * --tls-cert}: a certificate chain; {@code --tls-key}: a PKCS#8 private key, EC, RSA or EdDSA), so
 * Jetty serves TLS with the same files.
 */
final class PemKeyStore {
  /** The password of the in-memory store (never written anywhere). */
  static final char[] PASSWORD = "vaultsync".toCharArray();

  private static final Pattern KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemKeyStore() {}

  static KeyStore load(Path certificate, Path privateKey) throws IOException {
    try {
      List<? extends Certificate> chain;
      try (InputStream in = Files.newInputStream(certificate)) {
        chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw new IOException("no certificate in " + certificate + "; expected a PEM chain");
      }
      Matcher m = KEY.matcher(Files.readString(privateKey, StandardCharsets.US_ASCII));
      if (!m.find()) {
        throw new IOException(
            "no \"BEGIN PRIVATE KEY\" block in " + privateKey + "; expected a PKCS#8 PEM key");
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      PrivateKey key = decode(der, privateKey);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, PASSWORD, chain.toArray(new Certificate[0]));
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load TLS files " + certificate + ", " + privateKey, e);
    }
  }

  private static PrivateKey decode(byte[] der, Path file) throws IOException {
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException("private key in " + file + " is not an EC, RSA or EdDSA PKCS#8 key");
  }
}
