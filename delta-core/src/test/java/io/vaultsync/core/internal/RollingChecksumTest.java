package io.vaultsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingChecksumTest {
  @ParameterizedTest(name = "seed {0}, window {1}")
  @CsvSource({"1, 1", "2, 3", "3, 16", "4, 255", "5, 256", "6, 2048", "7, 4097"})
  void rolledValueEqualsFreshSumAtEveryOffset(long seed, int window) {
    Random random = new Random(seed);
    byte[] data = new byte[window + 5000];
    random.nextBytes(data);
    RollingChecksum sum = new RollingChecksum(window);
    sum.reset(data, 0, window);
    for (int i = 0; i + window < data.length; i++) {
      assertThat(sum.value()).as("offset %d", i).isEqualTo(RollingChecksum.of(data, i, window));
      sum.roll(data[i], data[i + window]);
    }
  }

  @ParameterizedTest(name = "length {0}")
  @CsvSource({"0", "1", "2", "3", "4", "5", "7", "8", "13"})
  void unrolledFreshSumEqualsTheDefinition(int length) {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    int expected = 0;
    for (byte b : data) {
      expected = expected * RollingChecksum.MULT + (b & 0xff);
    }
    assertThat(RollingChecksum.of(data, 0, length)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "n {0}")
  @CsvSource({"0", "1", "2", "31", "2048", "65536"})
  void powerIsRepeatedMultiplication(int n) {
    int expected = 1;
    for (int i = 0; i < n; i++) {
      expected *= RollingChecksum.MULT;
    }
    assertThat(RollingChecksum.power(n)).isEqualTo(expected);
  }
}
