package io.vaultsync.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.Deltas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawLiteralOutputTest {
  private static final long SEED = 16;

  /** ~300 KB of repetitive text (LZ4 shrinks it) after a random prefix (stored raw). */
  private static byte[] text() {
    Random random = new Random(SEED);
    byte[] noise = new byte[5000];
    random.nextBytes(noise);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6000; i++) {
      b.append("line ").append(random.nextInt(50)).append(" of the vault note\n");
    }
    byte[] words = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[noise.length + words.length];
    System.arraycopy(noise, 0, all, 0, noise.length);
    System.arraycopy(words, 0, all, noise.length, words.length);
    return all;
  }

  @Test
  void lz4LiteralsBecomeRawLiteralsThatPatchTheSame() throws IOException {
    byte[] basis = text();
    byte[] target =
        (new String(basis, StandardCharsets.ISO_8859_1) + "and one more line\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    for (byte[] delta :
        new byte[][] {Deltas.delta(new byte[0], target), Deltas.delta(basis, target)}) {
      byte[] raw = RawLiteralOutput.of(delta);
      assertThat(RawLiteralOutput.of(raw)).isEqualTo(raw); // no LZ4 literal left to undo
      assertThat(Deltas.patch(basis, raw)).isEqualTo(target);
    }
  }

  @Test
  void anySplitOfTheInputGivesTheSameOutput() throws IOException {
    byte[] delta = Deltas.delta(new byte[0], text());
    byte[] whole = RawLiteralOutput.of(delta);
    assertThat(whole.length).isGreaterThan(delta.length); // there was LZ4 to undo
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Random random = new Random(SEED);
    try (RawLiteralOutput out = new RawLiteralOutput(bytes)) {
      for (int at = 0; at < delta.length; ) {
        int n = Math.min(delta.length - at, 1 + random.nextInt(20));
        if (n == 1) {
          out.write(delta[at]);
        } else {
          out.write(delta, at, n);
        }
        at += n;
      }
      assertThat(out.complete()).isTrue();
    }
    assertThat(bytes.toByteArray()).isEqualTo(whole);
  }

  @Test
  void anLz4LengthOutOfRangeIsRefusedBeforeAllocating() {
    // header, LITERAL_LZ4 raw length 2^20 + 1
    byte[] delta = {0x76, 0x73, 0x64, 0x6c, 1, 3, (byte) 0x81, (byte) 0x80, 0x40, 1, 0};
    assertThatThrownBy(() -> RawLiteralOutput.of(delta))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("raw length 1048577");
  }
}
