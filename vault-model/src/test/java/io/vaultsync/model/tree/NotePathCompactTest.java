package io.vaultsync.model.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact {@link NotePath} (only its string kept; the normalizer skipped below U+0300; UTF-16
 * order used below U+D800) keeps the contract of the full one: NFC, UTF-8 byte order, segments.
 */
class NotePathCompactTest {
  @Test
  void everyPairOfCharsBelowCombiningMarksIsAlreadyNfc() {
    // the fast path of NotePath.of skips the normalizer for such strings: prove no pair composes
    char[] pair = new char[2];
    for (char a = 1; a < 0x300; a++) {
      for (char b = 1; b < 0x300; b++) {
        pair[0] = a;
        pair[1] = b;
        assertThat(Normalizer.isNormalized(new String(pair), Normalizer.Form.NFC))
            .as("U+%04X U+%04X", (int) a, (int) b)
            .isTrue();
      }
    }
  }

  @Test
  void orderIsUtf8ByteOrderForRandomPathsAcrossTheWholeRange() {
    long seed = System.nanoTime();
    System.out.println("NotePathCompactTest seed " + seed);
    Random random = new Random(seed);
    String[] alphabet = {"a", "b", "é", "\u0800", "\uD7FF", "\uE000", "\uFFFD", "😀", "😁", "/x"};
    for (int round = 0; round < 20_000; round++) {
      NotePath p = NotePath.of(randomName(random, alphabet));
      NotePath q = NotePath.of(randomName(random, alphabet));
      int expected =
          Integer.signum(
              Arrays.compareUnsigned(
                  p.value().getBytes(StandardCharsets.UTF_8),
                  q.value().getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(p.compareTo(q)))
          .as("seed %d: %s vs %s", seed, p, q)
          .isEqualTo(expected);
    }
  }

  @Test
  void segmentsNameAndParentAreSplitFromTheValue() {
    NotePath p = NotePath.of("Daily/2024/é😀.md");
    assertThat(p.segments()).containsExactly("Daily", "2024", "é😀.md");
    assertThat(p.name()).isEqualTo("é😀.md");
    assertThat(p.parent()).contains(NotePath.of("Daily/2024"));
    assertThat(NotePath.of("top.md").parent()).isEmpty();
    assertThat(NotePath.of("top.md").name()).isEqualTo("top.md");
  }

  @Test
  void aDecomposedNameIsStillNormalized() {
    assertThat(NotePath.of("Cafe\u0301.md").value()).isEqualTo("Caf\u00e9.md");
  }

  private static String randomName(Random random, String[] alphabet) {
    StringBuilder sb = new StringBuilder("n");
    int length = 1 + random.nextInt(6);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }
}
