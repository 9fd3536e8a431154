package io.vaultsync.client.merge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextMergeTest {
  private static final String BASE = "a\nb\nc\nd\ne\nf\n";

  @Test
  void changesToDifferentLinesMerge() {
    MergeResult r = TextMerge.merge(BASE, "A\nb\nc\nd\ne\nf\n", "a\nb\nc\nd\ne\nF\n");
    assertThat(r.text()).isEqualTo("A\nb\nc\nd\ne\nF\n");
  }

  @Test
  void identicalChangesAreTakenOnce() {
    MergeResult r = TextMerge.merge(BASE, "a\nX\nc\nd\ne\nf\n", "a\nX\nc\nd\ne\nf\n");
    assertThat(r.text()).isEqualTo("a\nX\nc\nd\ne\nf\n");
  }

  @Test
  void differentChangesToTheSameLineConflict() {
    assertThat(TextMerge.merge(BASE, "a\nL\nc\nd\ne\nf\n", "a\nR\nc\nd\ne\nf\n").isClean())
        .isFalse();
  }

  @Test
  void adjacentChangesConflictLikeGit() {
    assertThat(TextMerge.merge(BASE, "a\nL\nc\nd\ne\nf\n", "a\nb\nR\nd\ne\nf\n").isClean())
        .isFalse();
  }

  @Test
  void lineEndingsAndMissingFinalNewlineArePreserved() {
    MergeResult r = TextMerge.merge("a\r\nb\r\nc\r\nd", "A\r\nb\r\nc\r\nd", "a\r\nb\r\nc\r\nD");
    assertThat(r.text()).isEqualTo("A\r\nb\r\nc\r\nD");
  }

  @Test
  void textDetectionRefusesNulAndInvalidUtf8() {
    assertThat(TextFiles.isText("# note\n".getBytes())).isTrue();
    assertThat(TextFiles.isText(new byte[] {'a', 0, 'b'})).isFalse();
    assertThat(TextFiles.isText(new byte[] {(byte) 0xC3, 0x28})).isFalse();
  }
}
