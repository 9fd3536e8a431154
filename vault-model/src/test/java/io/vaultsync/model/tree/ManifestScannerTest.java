package io.vaultsync.model.tree;

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

  /** Issue 12: a link is never followed nor recorded, but it is named, and its path is unknown. */
  @Test
  void neverFollowsOrRecordsSymbolicLinksButNamesEach() throws IOException {
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
    assertThat(result.rejected())
        .extracting(RejectedFile::name, RejectedFile::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dangling.md", ManifestScanner.LINK_REASON),
            org.assertj.core.groups.Tuple.tuple("linked-dir", ManifestScanner.LINK_REASON),
            org.assertj.core.groups.Tuple.tuple("linked-file.md", ManifestScanner.LINK_REASON),
            org.assertj.core.groups.Tuple.tuple("loop", ManifestScanner.LINK_REASON));
    assertThat(result.unknown())
        .extracting(NotePath::value)
        .containsExactly("dangling.md", "linked-dir", "linked-file.md", "loop");
    assertThat(result.filesHashed()).isEqualTo(1);
  }

  @Test
  void ignoredLinksAreLeftOutWithoutBeingNamed() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    write(root, "real.md", "real");
    symlink(root.resolve("cache"), outside);
    symlink(root.resolve("x.tmp"), outside);

    ScanResult result =
        new ManifestScanner()
            .withFilter(
                (p, folder) -> (folder && p.value().equals("cache")) || p.name().endsWith(".tmp"))
            .scan(root);

    assertThat(paths(result)).containsExactly("real.md");
    assertThat(result.rejected()).isEmpty();
    assertThat(result.unknown()).isEmpty();
  }

  /** Issue 12: a fifo (or socket, device) is named and its path unknown, never silently skipped. */
  @Test
  void fifoIsNamedAndUnknown() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "real.md", "real");
    mkfifo(root.resolve("pipe.md"));

    ScanResult result = new ManifestScanner().scan(root);

    assertThat(paths(result)).containsExactly("real.md");
    assertThat(result.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("pipe.md");
              assertThat(r.reason()).contains("fifo");
            });
    assertThat(result.unknown()).containsExactly(NotePath.of("pipe.md"));
  }

  /** A file that cannot be read (permission denied) is named and unknown; the scan goes on. */
  @Test
  void unreadableFileIsNamedAndUnknownAndTheScanGoesOn() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "locked.md", "secret");
    write(root, "open.md", "open");
    FileHasher denying =
        new FileHasher() {
          @Override
          Hashed hash(Path file, byte[] buffer) throws IOException {
            if (file.getFileName().toString().equals("locked.md")) {
              throw new java.nio.file.AccessDeniedException(file.toString());
            }
            return super.hash(file, buffer);
          }
        };

    ScanResult result = new ManifestScanner(Set.of(), denying).scan(root);

    assertThat(paths(result)).containsExactly("open.md");
    assertThat(result.rejected())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("cannot be read (permission denied)"));
    assertThat(result.unknown()).containsExactly(NotePath.of("locked.md"));
  }

  /** A folder that cannot be entered is named and unknown (needs a user that permissions bind). */
  @Test
  void folderThatCannotBeEnteredIsNamedAndUnknown() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "open.md", "open");
    Path locked = Files.createDirectory(root.resolve("locked"));
    write(root, "locked/inner.md", "inner");
    assumeTrue(
        Files.getFileStore(root).supportsFileAttributeView("posix"), "no POSIX permissions here");
    Files.setPosixFilePermissions(
        locked, java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class));
    try {
      assumeTrue(!Files.isReadable(locked), "this user reads any folder (root)");
      ScanResult result = new ManifestScanner().scan(root);
      assertThat(paths(result)).containsExactly("open.md");
      assertThat(result.rejected())
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).contains("cannot be read"));
      assertThat(result.unknown()).containsExactly(NotePath.of("locked"));
    } finally {
      Files.setPosixFilePermissions(
          locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
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

  /**
   * Issue 12: a name in decomposed Unicode (what macOS writes) is recorded under its NFC note path,
   * with its name on disk, and not rejected.
   */
  @Test
  void nfdNameIsRecordedUnderItsNfcPathWithItsNameOnDisk() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    String nfd = "Cafe\u0301.md";
    write(root, nfd, "x");
    write(root, "Re\u0301sume\u0301/notes.md", "y");

    ScanResult result = new ManifestScanner().scan(root);

    assertThat(paths(result)).containsExactly("Caf\u00e9.md", "R\u00e9sum\u00e9/notes.md");
    assertThat(result.rejected()).isEmpty();
    assertThat(result.unknown()).isEmpty();
    boolean normalizationInsensitive = Files.exists(root.resolve("Caf\u00e9.md"));
    if (!normalizationInsensitive) {
      NotePath cafe = NotePath.of("Caf\u00e9.md");
      assertThat(result.names().relative(cafe)).isEqualTo(nfd);
      assertThat(result.names().toFile(root.toRealPath(), cafe)).hasContent("x");
      NotePath inFolder = NotePath.of("R\u00e9sum\u00e9/notes.md");
      assertThat(result.names().relative(inFolder)).isEqualTo("Re\u0301sume\u0301/notes.md");
      // A new file in that folder goes into the folder as it is on disk, under an NFC name.
      assertThat(result.names().relative(NotePath.of("R\u00e9sum\u00e9/n\u00e9w.md")))
          .isEqualTo("Re\u0301sume\u0301/n\u00e9w.md");
      assertThat(new ManifestScanner().names(root)).isEqualTo(result.names());
    }
  }

  /**
   * Issue 12: two names in one folder that normalize to one note path (possible on Linux) are a
   * clash: both named, neither recorded, the path unknown; whichever the walk meets first.
   */
  @Test
  void nfcAndNfdTwinsClashAndAreBothNamed() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("vault"));
    write(root, "Caf\u00e9.md", "composed");
    write(root, "Cafe\u0301.md", "decomposed");
    write(root, "ok.md", "ok");
    write(root, "Re\u0301sume\u0301/a.md", "a");
    write(root, "R\u00e9sum\u00e9/b.md", "b");
    assumeTrue(
        Files.readString(root.resolve("Caf\u00e9.md")).equals("composed"),
        "this file system treats both forms as one name");

    ScanResult result = new ManifestScanner().scan(root);

    assertThat(paths(result)).containsExactly("ok.md");
    assertThat(result.unknown())
        .extracting(NotePath::value)
        .containsExactly("Caf\u00e9.md", "R\u00e9sum\u00e9");
    assertThat(result.rejected())
        .extracting(RejectedFile::name)
        .containsExactlyInAnyOrder(
            "Caf\u00e9.md", "Cafe\u0301.md", "R\u00e9sum\u00e9", "Re\u0301sume\u0301");
    assertThat(result.rejected())
        .allSatisfy(
            r -> assertThat(r.reason()).contains("normalize to the same name", "rename one"));
    assertThat(result.rejected())
        .filteredOn(r -> r.name().equals("Cafe\u0301.md"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason())
                    .startsWith("two files here normalize to the same name Caf\u00e9.md")
                    .contains("NFD"));
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

  static void mkfifo(Path fifo) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      assumeTrue(p.waitFor() == 0, "mkfifo failed");
    } catch (IOException e) {
      assumeTrue(false, "no mkfifo here: " + e);
    }
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
