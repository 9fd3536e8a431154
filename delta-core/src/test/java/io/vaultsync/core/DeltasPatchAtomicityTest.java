package io.vaultsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.format.GoldenFiles;
import io.vaultsync.core.format.TruncatedInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Deltas#patch(Path, java.io.InputStream, Path)} publishes the output only when the whole
 * delta checked out: a corrupt delta leaves no output, no temporary file, and an existing output
 * untouched.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeltasPatchAtomicityTest {
  @TempDir Path dir;
  private Path basis;
  private Path output;
  private byte[] delta;

  @BeforeEach
  void setUp() throws IOException {
    basis = Files.write(dir.resolve("basis.txt"), GoldenFiles.basis());
    output = dir.resolve("note.md");
    delta = GoldenFiles.deltaBytes();
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * The golden delta with its last hash byte changed: detected only after all output is written.
   */
  private byte[] hashMismatch() {
    byte[] d = delta.clone();
    d[d.length - 1] ^= 1;
    return d;
  }

  @Test
  void validDeltaWritesTheOutputAndNoTemporaryFile() throws IOException {
    Deltas.patch(basis, new ByteArrayInputStream(delta), output);
    assertThat(Files.readAllBytes(output)).isEqualTo(GoldenFiles.target());
    assertThat(files()).containsExactly("basis.txt", "note.md");
  }

  @Test
  void hashMismatchLeavesNoOutputAndNoTemporaryFile() throws IOException {
    assertThatThrownBy(() -> Deltas.patch(basis, new ByteArrayInputStream(hashMismatch()), output))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessageContaining("hash");
    assertThat(files()).containsExactly("basis.txt");
  }

  @Test
  void truncatedDeltaLeavesNoOutputAndNoTemporaryFile() throws IOException {
    byte[] cut = Arrays.copyOf(delta, delta.length - 10);
    assertThatThrownBy(() -> Deltas.patch(basis, new ByteArrayInputStream(cut), output))
        .isExactlyInstanceOf(TruncatedInputException.class)
        .hasMessageContaining("at offset " + cut.length);
    assertThat(files()).containsExactly("basis.txt");
  }

  @Test
  void copyOutsideTheBasisLeavesNoOutputAndNoTemporaryFile() throws IOException {
    byte[] d = delta.clone();
    d[7] = 0x7f; // COPY 0, 48 -> COPY 0, 127: past the 108-byte basis
    assertThatThrownBy(() -> Deltas.patch(basis, new ByteArrayInputStream(d), output))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessageContaining("copy of 127 bytes at basis offset 0");
    assertThat(files()).containsExactly("basis.txt");
  }

  @Test
  void corruptDeltaLeavesAnExistingOutputUntouched() throws IOException {
    byte[] old = "old content\n".getBytes(StandardCharsets.UTF_8);
    Files.write(output, old);
    for (byte[] bad : List.of(hashMismatch(), Arrays.copyOf(delta, 40), new byte[] {1, 2, 3})) {
      assertThatThrownBy(() -> Deltas.patch(basis, new ByteArrayInputStream(bad), output))
          .isInstanceOf(FormatException.class);
      assertThat(Files.readAllBytes(output)).isEqualTo(old);
      assertThat(files()).containsExactly("basis.txt", "note.md");
    }
  }
}
