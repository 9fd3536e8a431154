package io.vaultsync.core.format;

import static io.vaultsync.core.format.HostileInputs.assertFormatExceptionOnly;
import static io.vaultsync.core.format.HostileInputs.assertReaderRejects;
import static io.vaultsync.core.format.HostileInputs.junk;

import io.vaultsync.core.format.HostileInputs.FormatReader;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every reader of a vaultsync format must survive, run once per format: its golden file cut at
 * every offset, and random bytes. The format's own checks are in the subclasses.
 */
abstract class HostileFormatInputTest {
  private final byte[] golden;
  private final FormatReader reader;

  /**
   * @param golden the format's golden file, valid
   * @param reader reads the format from a stream, throwing a {@link FormatException} on bad input
   */
  HostileFormatInputTest(byte[] golden, FormatReader reader) {
    this.golden = golden;
    this.reader = reader;
  }

  @Test
  void truncationAtEveryOffsetIsTruncatedInputNamingTheOffset() {
    for (int cut = 0; cut < golden.length; cut++) {
      assertReaderRejects(
          reader, Arrays.copyOf(golden, cut), TruncatedInputException.class, "at offset " + cut);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.vaultsync.core.format.HostileInputs#seeds")
  void randomBytesAreRejected(long seed) {
    assertFormatExceptionOnly(reader, junk(new Random(seed)));
  }
}
