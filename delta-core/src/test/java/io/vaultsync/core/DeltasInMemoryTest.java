package io.vaultsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.GoldenFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Deltas#delta(byte[], byte[])} and {@link Deltas#patch(byte[], byte[])}: notes in memory.
 */
class DeltasInMemoryTest {
  @Test
  void deltaOfTwoArraysPatchesBackToTheTarget() throws IOException {
    byte[] basis = GoldenFiles.basis();
    byte[] target = GoldenFiles.target();

    byte[] delta = Deltas.delta(basis, target);

    assertThat(Deltas.patch(basis, delta)).isEqualTo(target);
  }

  @Test
  void deltaFromAnEmptyBasisMakesTheTargetFromNothing() throws IOException {
    byte[] target = "# a new note\n".getBytes(StandardCharsets.UTF_8);

    assertThat(Deltas.patch(new byte[0], Deltas.delta(new byte[0], target))).isEqualTo(target);
  }

  @Test
  void patchOfTheWrongBasisIsRefusedByTheWholeFileHash() {
    byte[] basis = new byte[64 << 10];
    new Random(13).nextBytes(basis);
    byte[] target = Arrays.copyOf(basis, basis.length + 1); // copies all of basis, adds one byte
    byte[] delta = Deltas.delta(basis, target);
    byte[] otherBasis = new byte[basis.length]; // as long, other bytes

    assertThatThrownBy(() -> Deltas.patch(otherBasis, delta))
        .isInstanceOf(CorruptDataException.class);
  }
}
