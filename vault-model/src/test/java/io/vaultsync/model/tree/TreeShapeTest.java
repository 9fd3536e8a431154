package io.vaultsync.model.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Issue 12 item 5: the rules a tree must follow so that every client can hold it. */
class TreeShapeTest {
  private static NotePath p(String s) {
    return NotePath.of(s);
  }

  /** A head of these files. */
  private static TreeShape.Head head(String... files) {
    TreeMap<NotePath, Boolean> sorted = new TreeMap<>();
    for (String f : files) {
      sorted.put(p(f), true);
    }
    return new TreeShape.Head() {
      @Override
      public boolean isFile(NotePath path) {
        return sorted.containsKey(path);
      }

      @Override
      public boolean holdsFilesUnder(NotePath folder) {
        return TreeShape.holdsUnder(sorted, folder);
      }
    };
  }

  @Test
  void internalNamesAtAnyDepthAreNamed() {
    assertThat(TreeShape.internalName(p(".vaultsync/token")))
        .get()
        .asString()
        .contains(".vaultsync");
    assertThat(TreeShape.internalName(p("sub/.vaultsync/index"))).isPresent();
    assertThat(TreeShape.internalName(p(".vstmp-x"))).get().asString().contains(".vstmp-");
    assertThat(TreeShape.internalName(p("a/.vstmp-1-note.md"))).isPresent();
    assertThat(TreeShape.internalName(p(".vaultsyncignore"))).isEmpty();
    assertThat(TreeShape.internalName(p("notes/.vaultsync.md"))).isEmpty();
    assertThat(TreeShape.internalName(p("vstmp-x.md"))).isEmpty();
  }

  @Test
  void aNewFileBelowAFileOrWhereAFolderOfFilesIsIsRefusedNamingTheOther() throws IOException {
    TreeShape.Head head = head("dir1", "notes/a.md", "notes.md", "notes b.md", "x/y/z.md");

    assertThat(TreeShape.refusal(p("dir1/child.md"), head))
        .get()
        .asString()
        .startsWith("\"dir1\" is a file on the server");
    assertThat(TreeShape.refusal(p("dir1/deeper/child.md"), head)).isPresent();
    assertThat(TreeShape.refusal(p("notes"), head))
        .get()
        .asString()
        .startsWith("\"notes\" is a folder of other files on the server");
    assertThat(TreeShape.refusal(p("x"), head)).isPresent();
    assertThat(TreeShape.refusal(p("x/y"), head)).isPresent();
    assertThat(TreeShape.refusal(p(".vaultsync/token"), head)).isPresent();
    // Neighbours whose names only start alike are no clash.
    assertThat(TreeShape.refusal(p("dir1.md"), head)).isEmpty();
    assertThat(TreeShape.refusal(p("dir10/child.md"), head)).isEmpty();
    assertThat(TreeShape.refusal(p("notes/b.md"), head)).isEmpty();
    assertThat(TreeShape.refusal(p("note"), head)).isEmpty();
    assertThat(TreeShape.refusal(p("x/y/w.md"), head)).isEmpty();
  }

  @Test
  void holdsUnderStepsOverSiblingsThatSortBetweenAFolderAndItsFiles() {
    TreeMap<NotePath, Boolean> m = new TreeMap<>();
    Stream.of("a", "a b.md", "a!", "a-c", "a.md", "a/x.md", "ab", "b")
        .forEach(s -> m.put(p(s), true));
    assertThat(TreeShape.holdsUnder(m, p("a"))).isTrue();
    m.remove(p("a/x.md"));
    assertThat(TreeShape.holdsUnder(m, p("a"))).isFalse();
    assertThat(TreeShape.holdsUnder(m, p("b"))).isFalse();
    m.put(p("\u00e9/x.md"), true);
    assertThat(TreeShape.holdsUnder(m, p("\u00e9"))).isTrue();
  }

  /**
   * What {@code server check} and {@code verify} report: every path below a file, every internal
   * name.
   */
  @Test
  void clashesOfAStoredHeadNameEachPathBelowAFileAndEachInternalName() {
    List<TreeShape.Clash> clashes =
        TreeShape.clashes(
            List.of(
                p("dir1"),
                p("dir1/child.md"),
                p("dir1/sub/deep.md"),
                p("dir1.md"),
                p("ok/a.md"),
                p(".vaultsync/token"),
                p("x/.vstmp-1")));

    assertThat(clashes)
        .extracting(c -> c.path().value())
        .containsExactly(".vaultsync/token", "dir1/child.md", "dir1/sub/deep.md", "x/.vstmp-1");
    assertThat(clashes.get(1).reason()).contains("\"dir1\"", "no disk can hold both");
    assertThat(TreeShape.clashes(List.of(p("a.md"), p("a/b.md"), p("ab/c")))).isEmpty();
  }
}
