package io.vaultsync.model.tree;

import static io.vaultsync.model.tree.TreeDiffTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

  @Test
  void sortsByPathAndSumsSizes() {
    Manifest m = Manifest.of(List.of(entry("b.md", "bb"), entry("a/z.md", "z"), entry("a.md", "")));
    assertThat(m.entries())
        .extracting(e -> e.path().value())
        .containsExactly("a.md", "a/z.md", "b.md");
    assertThat(m.size()).isEqualTo(3);
    assertThat(m.totalBytes()).isEqualTo(3);
    assertThat(m.get(NotePath.of("b.md"))).contains(entry("b.md", "bb"));
    assertThat(m.get(NotePath.of("c.md"))).isEmpty();
    assertThat(m)
        .isEqualTo(
            Manifest.of(List.of(entry("a.md", ""), entry("a/z.md", "z"), entry("b.md", "bb"))));
  }

  @Test
  void refusesExactDuplicatesNamingThePath() {
    assertThatThrownBy(() -> Manifest.of(List.of(entry("a.md", "1"), entry("a.md", "2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate manifest path \"a.md\"");
  }

  @Test
  void keepsPathsThatDifferOnlyInCase() {
    Manifest m = Manifest.of(List.of(entry("Note.md", "1"), entry("note.md", "2")));
    assertThat(m.size()).isEqualTo(2);
  }

  @Test
  void nfcDuplicatesAreExactDuplicates() {
    assertThatThrownBy(
            () -> Manifest.of(List.of(entry("e\u0301.md", "1"), entry("\u00e9.md", "2"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entryRefusesNegativeSize() {
    assertThatThrownBy(
            () -> new ManifestEntry(NotePath.of("a.md"), -1, 0, ContentHash.digestOf(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a.md\" has size -1; expected >= 0");
  }
}
