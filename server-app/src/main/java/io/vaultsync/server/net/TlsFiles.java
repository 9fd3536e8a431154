package io.vaultsync.server.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** A PEM certificate chain and its PEM private key (PKCS#8) for serving TLS. */
public record TlsFiles(Path certificate, Path privateKey) {
  public TlsFiles {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    for (Path p : new Path[] {certificate, privateKey}) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalArgumentException(
            "TLS file " + p + " is not a readable file; expected a PEM file");
      }
    }
  }
}
