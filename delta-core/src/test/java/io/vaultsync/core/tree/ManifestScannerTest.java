package io.vaultsync.core.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestScannerTest {
  private static final long MTIME = 1_764_000_000_000L;

  @TempDir Path tmp;

  @Test
  void recordsNestedFilesWithSizeMtimeAndHash() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "a.md", "alpha");
    write(root, "Daily/2026/11-26.md", "# today");
    write(root, ".obsidian/app.json", "{}");
    write(root, "empty.md", "");
    Files.createDirectories(root.resolve("empty-folder"));
    byte[] big = new byte[3 * ManifestScanner.BUFFER_SIZE + 17];
    new Random(7).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    Files.setLastModifiedTime(root.resolve("big.bin"), FileTime.fromMillis(MTIME));

    ScanResult result = new ManifestScanner().scan(root);

    assertThat(result.manifest().entries())
        .containsExactly(
            expected(".obsidian/app.json", "{}".getBytes(UTF_8)),
            expected("Daily/2026/11-26.md", "# today".getBytes(UTF_8)),
            expected("a.md", "alpha".getBytes(UTF_8)),
            expected("big.bin", big),
            expected("empty.md", new byte[0]));
    assertThat(result.rejected()).isEmpty();
    assertThat(result.unstable()).isEmpty();
    assertThat(result.filesHashed()).isEqualTo(5);
    assertThat(result.filesReused()).isZero();
    assertThat(result.bytesHashed()).isEqualTo(result.manifest().totalBytes());
  }

  @Test
  void aFilterPrunesExcludedFoldersAndLeavesOutExcludedFiles() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "keep.md", "k");
    write(root, "skip.tmp", "t");
    write(root, "cache/deep/x.md", "c");
    write(root, "a/cache.md", "file, not folder");
    java.util.List<String> seenFolders = new java.util.ArrayList<>();
    PathFilter filter =
        (path, folder) -> {
          if (folder) {
            seenFolders.add(path.value());
          }
          return path.name().endsWith(".tmp") || (folder && path.name().equals("cache"));
        };

    ScanResult r = new ManifestScanner().withFilter(filter).scan(root);

    assertThat(paths(r)).containsExactly("a/cache.md", "keep.md");
    assertThat(r.rejected()).isEmpty();
    assertThat(seenFolders).containsExactlyInAnyOrder("a", "cache"); // cache/deep never entered
  }

  @Test
  void skipsExcludedTopLevelNamesOnly() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, ".vaultsync/index.db", "state");
    write(root, ".vaultsync/deep/x.md", "state");
    write(root, "sub/.vaultsync/kept.md", "kept");
    write(root, "note.md", "n");

    assertThat(paths(new ManifestScanner().scan(root)))
        .containsExactly("note.md", "sub/.vaultsync/kept.md");
    assertThat(paths(new ManifestScanner(Set.of(".vaultsync", "note.md")).scan(root)))
        .containsExactly("sub/.vaultsync/kept.md");
    assertThat(paths(new ManifestScanner(Set.of()).scan(root)))
        .containsExactly(
            ".vaultsync/deep/x.md", ".vaultsync/index.db", "note.md", "sub/.vaultsync/kept.md");
  }

  @Test
  void refusesExcludedNamesWithSeparators() {
    assertThatThrownBy(() -> new ManifestScanner(Set.of("a/b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a/b\"");
  }

  @Test
  void neverFollowsOrRecordsSymbolicLinks() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    write(outside, "secret.md", "secret");
    write(outside, "dir/inner.md", "inner");
    write(root, "real.md", "real");
    symlink(root.resolve("linked-dir"), outside.resolve("dir"));
    symlink(root.resolve("linked-file.md"), outside.resolve("secret.md"));
    symlink(root.resolve("dangling.md"), outside.resolve("missing.md"));
    symlink(root.resolve("loop"), root);

    ScanResult result = new ManifestScanner().scan(root);

    assertThat(paths(result)).containsExactly("real.md");
    assertThat(result.rejected()).isEmpty();
    assertThat(result.filesHashed()).isEqualTo(1);
  }

  @Test
  void scansARootThatIsItselfALink() throws IOException {
    Path real = Files.createDirectory(tmp.resolve("real"));
    write(real, "a.md", "a");
    Path link = tmp.resolve("link");
    symlink(link, real);

    assertThat(paths(new ManifestScanner().scan(link))).containsExactly("a.md");
  }

  @Test
  void refusesARootThatIsNotADirectory() throws IOException {
    Path file = write(tmp, "file.md", "x");
    assertThatThrownBy(() -> new ManifestScanner().scan(file))
        .isInstanceOf(NotDirectoryException.class);
  }

  /** Proves the reuse: the previous hash is deliberately wrong, and the scan keeps it. */
  @Test
  void reusesPreviousHashWhenSizeAndMtimeAreUnchanged() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "same.md", "unchanged");
    write(root, "edited.md", "v1");
    ContentHash bogus = ContentHash.digestOf("not the content".getBytes(UTF_8));
    Manifest previous =
        Manifest.of(
            List.of(
                new ManifestEntry(NotePath.of("same.md"), 9, MTIME, bogus),
                new ManifestEntry(NotePath.of("edited.md"), 2, MTIME - 1, bogus)));

    ScanResult result = new ManifestScanner().scan(root, previous);

    assertThat(result.manifest().get(NotePath.of("same.md")).orElseThrow().hash()).isEqualTo(bogus);
    assertThat(result.manifest().get(NotePath.of("edited.md")))
        .contains(expected("edited.md", "v1".getBytes(UTF_8)));
    assertThat(result.filesReused()).isEqualTo(1);
    assertThat(result.filesHashed()).isEqualTo(1);
    assertThat(result.bytesHashed()).isEqualTo(2);
  }

  @Test
  void rejectsInvalidNamesAndGoesOn() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "ok.md", "ok");
    write(root, "CON.md", "x");
    write(root, "a:b.md", "x");
    write(root, "trailing.", "x");
    write(root, "back\\slash.md", "x");
    write(root, "aux/inside.md", "x");
    write(root, "aux/deeper/more.md", "x");

    ScanResult result = new ManifestScanner().scan(root);

    assertThat(paths(result)).containsExactly("ok.md");
    assertThat(result.rejected())
        .extracting(r -> r.file().toString())
        .containsExactly("CON.md", "a:b.md", "aux", "back\\slash.md", "trailing.");
    assertThat(result.rejected())
        .extracting(RejectedFile::reason)
        .satisfiesExactly(
            r -> assertThat(r).contains("\"CON.md\"", "[RESERVED_NAME]"),
            r -> assertThat(r).contains("\"a:b.md\"", "[COLON]"),
            r -> assertThat(r).contains("\"aux\"", "[RESERVED_NAME]"),
            r -> assertThat(r).contains("[BACKSLASH]"),
            r -> assertThat(r).contains("\"trailing.\"", "[TRAILING_DOT_OR_SPACE]"));
  }

  @Test
  void nonNfcNameIsRecordedOnlyIfItsNfcFormNamesTheSameFile() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    String nfd = "Cafe\u0301.md";
    write(root, nfd, "x");
    boolean normalizationInsensitive = Files.exists(root.resolve("Caf\u00e9.md"));

    ScanResult result = new ManifestScanner().scan(root);

    if (normalizationInsensitive) {
      assertThat(paths(result)).containsExactly("Caf\u00e9.md");
    } else {
      assertThat(paths(result)).isEmpty();
      assertThat(result.rejected())
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).contains("Unicode NFC"));
    }
  }

  @Test
  void fileGrowingWhileHashedIsUnstableNotTorn() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "busy.md", "before");
    write(root, "calm.md", "calm");
    FileHasher appendingHasher =
        new FileHasher() {
          @Override
          Hashed hash(Path file, byte[] buffer) throws IOException {
            Hashed hashed = super.hash(file, buffer);
            if (file.getFileName().toString().equals("busy.md")) {
              Files.write(file, " and after".getBytes(UTF_8), StandardOpenOption.APPEND);
            }
            return hashed;
          }
        };

    ScanResult result = new ManifestScanner(Set.of(), appendingHasher).scan(root);

    assertThat(paths(result)).containsExactly("calm.md");
    assertThat(result.unstable()).containsExactly(NotePath.of("busy.md"));
  }

  @Test
  void fileVanishingWhileHashedIsUnstable() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "gone.md", "soon gone");
    FileHasher deletingHasher =
        new FileHasher() {
          @Override
          Hashed hash(Path file, byte[] buffer) throws IOException {
            Hashed hashed = super.hash(file, buffer);
            Files.delete(file);
            return hashed;
          }
        };

    ScanResult result = new ManifestScanner(Set.of(), deletingHasher).scan(root);

    assertThat(result.manifest().size()).isZero();
    assertThat(result.unstable()).containsExactly(NotePath.of("gone.md"));
  }

  private static Path write(Path root, String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, content.getBytes(UTF_8));
    Files.setLastModifiedTime(file, FileTime.fromMillis(MTIME));
    return file;
  }

  private static void symlink(Path link, Path target) {
    try {
      Files.createSymbolicLink(link, target);
    } catch (IOException | UnsupportedOperationException e) {
      assumeTrue(false, "symbolic links unavailable here: " + e);
    }
  }

  private static ManifestEntry expected(String path, byte[] content) {
    return new ManifestEntry(
        NotePath.of(path), content.length, MTIME, ContentHash.digestOf(content));
  }

  private static List<String> paths(ScanResult result) {
    return result.manifest().entries().stream().map(e -> e.path().value()).toList();
  }
}
