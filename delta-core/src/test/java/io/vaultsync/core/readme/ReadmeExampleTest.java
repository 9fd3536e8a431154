package io.vaultsync.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library example of README.md, kept compiling and true. */
class ReadmeExampleTest {
  @Test
  void readmeLibraryExampleRoundTrips(@TempDir Path dir) throws Exception {
    Path oldFile = Files.writeString(dir.resolve("old.md"), "# Note\n" + "a line\n".repeat(1000));
    Path newFile =
        Files.writeString(dir.resolve("new.md"), "# Note\n" + "a line\n".repeat(999) + "edited\n");
    Path rebuilt = dir.resolve("rebuilt.md");

    // --- README example start
    // 1. The receiver describes the version it has (0 = pick the block length from the size).
    Signature sig = Deltas.signature(oldFile, 0);

    // 2. The sender encodes its new version against that signature.
    ByteArrayOutputStream delta = new ByteArrayOutputStream();
    DeltaStats stats;
    try (InputStream in = Files.newInputStream(newFile)) {
      stats = Deltas.delta(sig, in, delta);
    }

    // 3. The receiver patches: written to a temp file, renamed only if the SHA-256 matches.
    ContentHash hash =
        Deltas.patch(oldFile, new ByteArrayInputStream(delta.toByteArray()), rebuilt);
    // --- README example end

    assertThat(Files.readAllBytes(rebuilt)).isEqualTo(Files.readAllBytes(newFile));
    assertThat(hash).isEqualTo(ContentHash.digestOf(Files.readAllBytes(newFile)));
    assertThat(stats.literalBytes()).isLessThan(1000);
  }
}
