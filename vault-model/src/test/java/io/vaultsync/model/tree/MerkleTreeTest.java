package io.vaultsync.model.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Merkle root of docs/FORMAT.md section 8: the golden vector printed there, agreement with a
 * naive level-by-level implementation of the text, and the properties a sync check relies on.
 */
class MerkleTreeTest {
  /** The three entries of the worked example in docs/FORMAT.md. */
  static Manifest goldenManifest() {
    return Manifest.of(
        List.of(
            entry("Inbox.md", "- new idea\n"),
            entry("Daily/2026-11-26.md", "hello\n"),
            entry("a.md", "")));
  }

  static final String GOLDEN_ROOT =
      "1edb6c644a0227b43dd61a76fb36c22c6b259dc7cdba042ddea8fb8aed69b4d1";

  static ManifestEntry entry(String path, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new ManifestEntry(NotePath.of(path), bytes.length, 0, ContentHash.digestOf(bytes));
  }

  @Test
  void goldenVectorMatchesFormatDoc() throws IOException {
    MerkleRoot root = MerkleTree.rootOf(goldenManifest());
    assertThat(root.hex()).isEqualTo(GOLDEN_ROOT);
    assertThat(formatDoc()).contains("root = " + GOLDEN_ROOT);
  }

  @Test
  void emptyManifestHasTheSha256OfNoBytes() {
    assertThat(MerkleTree.rootOf(Manifest.empty()).hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void oneEntryRootIsItsLeaf() {
    ManifestEntry e = entry("a.md", "x");
    assertThat(MerkleTree.rootOf(Manifest.of(List.of(e))).digest())
        .isEqualTo(MerkleTree.leaf(e.path(), e.hash()));
  }

  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000})
  void incrementalRootEqualsNaiveLevelByLevelTree(int n) {
    Manifest m = randomManifest(new Random(n), n);
    assertThat(MerkleTree.rootOf(m)).isEqualTo(naiveRoot(m));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 4812})
  void rootDoesNotDependOnInputOrder(long seed) {
    Random rnd = new Random(seed);
    Manifest m = randomManifest(rnd, 50 + rnd.nextInt(200));
    List<ManifestEntry> shuffled = new ArrayList<>(m.entries());
    Collections.shuffle(shuffled, rnd);
    assertThat(MerkleTree.rootOf(Manifest.of(shuffled))).isEqualTo(MerkleTree.rootOf(m));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9, 10, 11})
  void anySingleChangeChangesTheRoot(long seed) {
    Random rnd = new Random(seed);
    Manifest m = randomManifest(rnd, 1 + rnd.nextInt(64));
    MerkleRoot before = MerkleTree.rootOf(m);
    List<ManifestEntry> base = m.entries();
    for (int i = 0; i < base.size(); i++) {
      ManifestEntry e = base.get(i);
      List<ManifestEntry> edited = new ArrayList<>(base);
      edited.set(i, entry(e.path().value(), "edited " + i));
      assertThat(MerkleTree.rootOf(Manifest.of(edited)))
          .as("edit %s", e.path())
          .isNotEqualTo(before);
      List<ManifestEntry> moved = new ArrayList<>(base);
      moved.set(i, new ManifestEntry(NotePath.of(e.path() + ".moved"), e.size(), 0, e.hash()));
      assertThat(MerkleTree.rootOf(Manifest.of(moved)))
          .as("move %s", e.path())
          .isNotEqualTo(before);
      List<ManifestEntry> deleted = new ArrayList<>(base);
      deleted.remove(i);
      assertThat(MerkleTree.rootOf(Manifest.of(deleted)))
          .as("delete %s", e.path())
          .isNotEqualTo(before);
    }
    List<ManifestEntry> added = new ArrayList<>(base);
    added.add(entry("zz-new.md", "new"));
    assertThat(MerkleTree.rootOf(Manifest.of(added))).isNotEqualTo(before);
  }

  @Test
  void sizesAndMtimesDoNotCount() {
    ManifestEntry e = entry("a.md", "x");
    ManifestEntry other = new ManifestEntry(e.path(), 999, 12345, e.hash());
    assertThat(MerkleTree.rootOf(Manifest.of(List.of(other))))
        .isEqualTo(MerkleTree.rootOf(Manifest.of(List.of(e))));
  }

  @Test
  void outOfOrderPathsAreRefusedNamingThem() {
    MerkleTree t = new MerkleTree().add(NotePath.of("b.md"), ContentHash.digestOf(new byte[0]));
    assertThatThrownBy(() -> t.add(NotePath.of("a.md"), ContentHash.digestOf(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a.md\" after \"b.md\"");
    assertThatThrownBy(() -> t.add(NotePath.of("b.md"), ContentHash.digestOf(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Section 8 of docs/FORMAT.md read literally: pair each level, promote an odd last node. */
  static MerkleRoot naiveRoot(Manifest m) {
    List<ContentHash> level = new ArrayList<>();
    for (ManifestEntry e : m.entries()) {
      level.add(MerkleTree.leaf(e.path(), e.hash()));
    }
    if (level.isEmpty()) {
      return MerkleTree.emptyRoot();
    }
    while (level.size() > 1) {
      List<ContentHash> next = new ArrayList<>();
      for (int i = 0; i + 1 < level.size(); i += 2) {
        next.add(MerkleTree.node(level.get(i), level.get(i + 1)));
      }
      if (level.size() % 2 == 1) {
        next.add(level.get(level.size() - 1));
      }
      level = next;
    }
    return new MerkleRoot(level.get(0));
  }

  static Manifest randomManifest(Random rnd, int n) {
    List<ManifestEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(entry("f" + rnd.nextInt(1 << 20) + "/" + i + ".md", "c" + rnd.nextLong()));
    }
    return Manifest.of(out);
  }

  static String formatDoc() throws IOException {
    for (Path p : List.of(Path.of("../docs/FORMAT.md"), Path.of("docs/FORMAT.md"))) {
      if (Files.exists(p)) {
        return Files.readString(p);
      }
    }
    throw new IOException("docs/FORMAT.md not found from " + Path.of("").toAbsolutePath());
  }
}
