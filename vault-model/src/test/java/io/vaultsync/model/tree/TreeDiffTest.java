package io.vaultsync.model.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.TreeChange.Added;
import io.vaultsync.model.tree.TreeChange.Deleted;
import io.vaultsync.model.tree.TreeChange.Modified;
import io.vaultsync.model.tree.TreeChange.Moved;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TreeDiffTest {

  @Test
  void identicalManifestsHaveNoChanges() {
    Manifest m = manifest(entry("a.md", "x"), entry("b/c.md", "y"));
    assertThat(TreeDiff.between(m, m)).isEmpty();
    assertThat(TreeDiff.between(Manifest.empty(), Manifest.empty())).isEmpty();
  }

  @Test
  void addModifyDeleteMoveInPathOrder() {
    ManifestEntry kept = entry("kept.md", "same");
    ManifestEntry editedBefore = entry("edited.md", "v1");
    ManifestEntry editedAfter = entry("edited.md", "v2");
    ManifestEntry gone = entry("gone.md", "bye");
    ManifestEntry movedFrom = entry("inbox/idea.md", "idea");
    ManifestEntry movedTo = entry("projects/idea.md", "idea");
    ManifestEntry fresh = entry("fresh.md", "hello");

    List<TreeChange> diff =
        TreeDiff.between(
            manifest(kept, editedBefore, gone, movedFrom),
            manifest(kept, editedAfter, movedTo, fresh));

    assertThat(diff)
        .containsExactly(
            new Modified(editedBefore, editedAfter),
            new Added(fresh),
            new Deleted(gone),
            new Moved(movedFrom, movedTo));
  }

  @Test
  void mtimeOnlyChangeIsNotAModification() {
    ManifestEntry before = entry("a.md", "x", 1_000);
    ManifestEntry touched = entry("a.md", "x", 2_000);
    assertThat(TreeDiff.between(manifest(before), manifest(touched))).isEmpty();
  }

  @Test
  void folderRenameIsOneMovePerFile() {
    Manifest before =
        manifest(
            entry("Old/a.md", "a"),
            entry("Old/b.md", "b"),
            entry("Old/sub/c.md", "c"),
            entry("Other/d.md", "d"));
    NotePath from = NotePath.of("Old");
    NotePath to = NotePath.of("Archive/2026");
    List<ManifestEntry> renamed = new ArrayList<>();
    for (ManifestEntry e : before.entries()) {
      renamed.add(e.path().startsWith(from) ? withPath(e, e.path().rebase(from, to)) : e);
    }

    List<TreeChange> diff = TreeDiff.between(before, Manifest.of(renamed));

    assertThat(diff).hasSize(3).allMatch(c -> c instanceof Moved);
    assertThat(diff.stream().map(c -> ((Moved) c).before().path().value() + " -> " + c.path()))
        .containsExactly(
            "Old/a.md -> Archive/2026/a.md",
            "Old/b.md -> Archive/2026/b.md",
            "Old/sub/c.md -> Archive/2026/sub/c.md");
  }

  @Test
  void identicalFilesMovedTogetherKeepTheirNames() {
    // Without the same-name preference, "z/a.md" would be paired by path order with "x/b.md".
    assertDiff(
        manifest(entry("z/a.md", "template"), entry("z/b.md", "template")),
        manifest(entry("x/b.md", "template"), entry("y/a.md", "template")),
        new Moved(entry("z/b.md", "template"), entry("x/b.md", "template")),
        new Moved(entry("z/a.md", "template"), entry("y/a.md", "template")));
  }

  @Test
  void identicalFilesRenamedPairInPathOrder() {
    assertDiff(
        manifest(entry("a.md", "t"), entry("b.md", "t")),
        manifest(entry("d.md", "t"), entry("c.md", "t")),
        new Moved(entry("a.md", "t"), entry("c.md", "t")),
        new Moved(entry("b.md", "t"), entry("d.md", "t")));
  }

  @Test
  void moreCopiesAddedThanRemovedLeavesAdds() {
    assertDiff(
        manifest(entry("a.md", "t"), entry("keep.md", "t")),
        manifest(entry("keep.md", "t"), entry("n/a.md", "t"), entry("n/b.md", "t")),
        new Moved(entry("a.md", "t"), entry("n/a.md", "t")),
        new Added(entry("n/b.md", "t")));
  }

  @Test
  void emptyFilesAreNeverMoves() {
    assertDiff(
        manifest(entry("old-empty.md", ""), entry("keep.md", "k")),
        manifest(entry("new-empty.md", ""), entry("keep.md", "k")),
        new Added(entry("new-empty.md", "")),
        new Deleted(entry("old-empty.md", "")));
  }

  @Test
  void replacedContentAtAMovedPathIsNotAMove() {
    // b.md's old content went to c.md; a.md's content now sits at b.md: b is modified, a -> c is
    // not a move (different content), so a is deleted and c added.
    assertDiff(
        manifest(entry("a.md", "A"), entry("b.md", "B")),
        manifest(entry("b.md", "A"), entry("c.md", "B")),
        new Deleted(entry("a.md", "A")),
        new Modified(entry("b.md", "B"), entry("b.md", "A")),
        new Added(entry("c.md", "B")));
  }

  /** Asserts that the diff from {@code before} to {@code after} is exactly {@code expected}. */
  private static void assertDiff(Manifest before, Manifest after, TreeChange... expected) {
    assertThat(TreeDiff.between(before, after)).containsExactly(expected);
  }

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  /** Applying the diff to {@code before} gives {@code after}'s (path, hash) list, for any seed. */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void applyingTheDiffYieldsAfter(long seed) {
    Random random = new Random(seed);
    Manifest before = randomManifest(random);
    Manifest after = mutate(before, random);

    List<TreeChange> diff = TreeDiff.between(before, after);

    assertThat(apply(before, diff)).as("seed %d", seed).isEqualTo(contents(after));
    assertThat(diff)
        .as("seed %d: sorted by path", seed)
        .isSortedAccordingTo((x, y) -> x.path().compareTo(y.path()));
    assertThat(diff.stream().map(TreeChange::path).distinct().count())
        .as("seed %d: one change per path", seed)
        .isEqualTo(diff.size());
    assertThat(TreeDiff.between(before, after)).as("seed %d: deterministic", seed).isEqualTo(diff);
    for (TreeChange c : diff) {
      if (c instanceof Moved m) {
        assertThat(m.before().size()).as("seed %d: %s", seed, c).isPositive();
      }
    }
    Set<ContentHash> deletedHashes =
        diff.stream()
            .filter(c -> c instanceof Deleted d && d.entry().size() > 0)
            .map(c -> ((Deleted) c).entry().hash())
            .collect(Collectors.toSet());
    assertThat(diff)
        .as("seed %d: no unpaired delete and add of the same content", seed)
        .noneMatch(c -> c instanceof Added a && deletedHashes.contains(a.entry().hash()));
  }

  private static Manifest randomManifest(Random random) {
    Map<NotePath, ManifestEntry> entries = new TreeMap<>();
    int n = random.nextInt(30);
    for (int i = 0; i < n; i++) {
      ManifestEntry e = randomEntry(random);
      entries.put(e.path(), e);
    }
    return Manifest.of(entries.values());
  }

  private static Manifest mutate(Manifest before, Random random) {
    Map<NotePath, ManifestEntry> state = new TreeMap<>(before.asMap());
    int ops = random.nextInt(12);
    for (int i = 0; i < ops; i++) {
      List<ManifestEntry> current = new ArrayList<>(state.values());
      ManifestEntry victim = current.isEmpty() ? null : current.get(random.nextInt(current.size()));
      switch (random.nextInt(6)) {
        case 0 -> {
          ManifestEntry e = randomEntry(random);
          state.put(e.path(), e);
        }
        case 1 -> {
          if (victim != null) {
            state.remove(victim.path());
          }
        }
        case 2 -> {
          if (victim != null) {
            ManifestEntry e = randomEntry(random);
            state.put(victim.path(), withPath(e, victim.path()));
          }
        }
        case 3 -> {
          if (victim != null) {
            NotePath to = randomEntry(random).path();
            state.remove(victim.path());
            state.put(to, withPath(victim, to));
          }
        }
        case 4 -> {
          NotePath from = NotePath.of(FOLDERS[random.nextInt(FOLDERS.length)]);
          NotePath to = NotePath.of(FOLDERS[random.nextInt(FOLDERS.length)] + "/moved");
          for (ManifestEntry e : current) {
            if (e.path().startsWith(from)) {
              state.remove(e.path());
              NotePath dest = e.path().rebase(from, to);
              state.put(dest, withPath(e, dest));
            }
          }
        }
        default -> {
          if (victim != null) {
            state.put(
                victim.path(),
                new ManifestEntry(
                    victim.path(), victim.size(), victim.mtimeMillis() + 1, victim.hash()));
          }
        }
      }
    }
    return Manifest.of(state.values());
  }

  private static final String[] FOLDERS = {"a", "b", "a/c"};
  private static final String[] NAMES = {"x.md", "y.md", "z.md", "w.md"};
  private static final String[] CONTENTS = {"", "one", "two", "three", "four", "five"};

  private static ManifestEntry randomEntry(Random random) {
    String path = FOLDERS[random.nextInt(FOLDERS.length)] + "/" + NAMES[random.nextInt(4)];
    return entry(path, CONTENTS[random.nextInt(CONTENTS.length)], random.nextInt(1000));
  }

  private static Map<NotePath, ContentHash> apply(Manifest before, List<TreeChange> diff) {
    Map<NotePath, ManifestEntry> state = new TreeMap<>(before.asMap());
    for (TreeChange c : diff) {
      if (c instanceof Added a) {
        assertThat(state).doesNotContainKey(a.path());
        state.put(a.path(), a.entry());
      } else if (c instanceof Deleted d) {
        assertThat(state.remove(d.path())).isEqualTo(d.entry());
      } else if (c instanceof Modified m) {
        assertThat(state.put(m.path(), m.after())).isEqualTo(m.before());
      } else if (c instanceof Moved m) {
        assertThat(state.remove(m.before().path())).isEqualTo(m.before());
        assertThat(state.put(m.path(), m.after())).isNull();
      }
    }
    return contents(state);
  }

  private static Map<NotePath, ContentHash> contents(Manifest m) {
    return contents(m.asMap());
  }

  private static Map<NotePath, ContentHash> contents(Map<NotePath, ManifestEntry> m) {
    Map<NotePath, ContentHash> out = new TreeMap<>();
    m.forEach((p, e) -> out.put(p, e.hash()));
    return out;
  }

  static ManifestEntry entry(String path, String content) {
    return entry(path, content, 1_000);
  }

  static ManifestEntry entry(String path, String content, long mtime) {
    byte[] bytes = content.getBytes(UTF_8);
    return new ManifestEntry(NotePath.of(path), bytes.length, mtime, ContentHash.digestOf(bytes));
  }

  private static ManifestEntry withPath(ManifestEntry e, NotePath path) {
    return new ManifestEntry(path, e.size(), e.mtimeMillis(), e.hash());
  }

  private static Manifest manifest(ManifestEntry... entries) {
    return Manifest.of(List.of(entries));
  }
}
