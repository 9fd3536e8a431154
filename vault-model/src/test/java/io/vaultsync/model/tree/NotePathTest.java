package io.vaultsync.model.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.model.tree.IllegalNotePathException.Rule;
import java.nio.file.Path;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotePathTest {

  static Stream<Arguments> badPaths() {
    return Stream.of(
        Arguments.of("", Rule.EMPTY, "is empty"),
        Arguments.of("/etc/passwd", Rule.ABSOLUTE, "starts with '/'"),
        Arguments.of("/", Rule.ABSOLUTE, "starts with '/'"),
        Arguments.of("a/", Rule.TRAILING_SLASH, "ends with '/'"),
        Arguments.of("a//b", Rule.EMPTY_SEGMENT, "empty segment at 1"),
        Arguments.of(".", Rule.DOT_SEGMENT, "segment 0 \".\""),
        Arguments.of("a/../b", Rule.DOT_SEGMENT, "segment 1 \"..\""),
        Arguments.of("..", Rule.DOT_SEGMENT, "'..'"),
        Arguments.of("a\\b.md", Rule.BACKSLASH, "backslash"),
        Arguments.of("C:/notes/a.md", Rule.COLON, "':'"),
        Arguments.of("C:", Rule.COLON, "drive letter"),
        Arguments.of("a.md:stream", Rule.COLON, "':'"),
        Arguments.of("a\u0000b", Rule.CONTROL_CHARACTER, "U+0000"),
        Arguments.of("line\nbreak.md", Rule.CONTROL_CHARACTER, "U+000A"),
        Arguments.of("tab\t.md", Rule.CONTROL_CHARACTER, "U+0009"),
        Arguments.of("del\u007f.md", Rule.CONTROL_CHARACTER, "U+007F"),
        Arguments.of("c1\u0085.md", Rule.CONTROL_CHARACTER, "U+0085"),
        Arguments.of("lone\ud800.md", Rule.UNPAIRED_SURROGATE, "U+D800"),
        Arguments.of("\udc00lone.md", Rule.UNPAIRED_SURROGATE, "U+DC00"),
        Arguments.of("CON", Rule.RESERVED_NAME, "Windows device CON"),
        Arguments.of("notes/con.txt", Rule.RESERVED_NAME, "Windows device con"),
        Arguments.of("Aux.tar.gz", Rule.RESERVED_NAME, "Windows device Aux"),
        Arguments.of("nul/a.md", Rule.RESERVED_NAME, "Windows device nul"),
        Arguments.of("PRN.md", Rule.RESERVED_NAME, "Windows device PRN"),
        Arguments.of("com1.md", Rule.RESERVED_NAME, "Windows device com1"),
        Arguments.of("LPT9", Rule.RESERVED_NAME, "Windows device LPT9"),
        Arguments.of("COM\u00b9.md", Rule.RESERVED_NAME, "Windows device COM\u00b9"),
        Arguments.of("con .md", Rule.RESERVED_NAME, "Windows device con"),
        Arguments.of("a/b.", Rule.TRAILING_DOT_OR_SPACE, "ending in '.'"),
        Arguments.of("folder /b.md", Rule.TRAILING_DOT_OR_SPACE, "ending in ' '"),
        Arguments.of(
            "x".repeat(NotePath.MAX_SEGMENT_BYTES + 1), Rule.SEGMENT_TOO_LONG, "256 UTF-8 bytes"),
        Arguments.of("é".repeat(128), Rule.SEGMENT_TOO_LONG, "256 UTF-8 bytes"),
        Arguments.of(longPath(NotePath.MAX_BYTES + 1), Rule.TOO_LONG, "4097 UTF-8 bytes"),
        Arguments.of("x".repeat(5 * NotePath.MAX_BYTES), Rule.TOO_LONG, "20480 chars"),
        Arguments.of(deepPath(NotePath.MAX_DEPTH + 1), Rule.TOO_DEEP, "65 segments"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badPaths")
  void refusesBadPathNamingValueAndRule(String input, Rule rule, String detail) {
    assertThatThrownBy(() -> NotePath.of(input))
        .isInstanceOfSatisfying(
            IllegalNotePathException.class,
            e -> {
              assertThat(e.rule()).isEqualTo(rule);
              assertThat(e.input()).isEqualTo(input);
              assertThat(e.getMessage())
                  .contains(detail)
                  .contains("[" + rule + "]")
                  .startsWith("note path \"" + IllegalNotePathException.escape(input) + "\"")
                  .doesNotContainPattern("[\\p{Cc}]");
            });
  }

  @Test
  void messageEscapesControlCharactersAndCutsLongInput() {
    assertThatThrownBy(() -> NotePath.of("a\u0000\"b"))
        .hasMessageStartingWith("note path \"a\\u0000\\\"b\" contains control character U+0000");
    assertThatThrownBy(() -> NotePath.of("x".repeat(300) + "/"))
        .hasMessageContaining("...(301 chars)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a.md",
        "Daily/2026-11-26.md",
        ".obsidian/app.json",
        "a/.hidden",
        "...md",
        "console.md",
        "COM10.md",
        "LPTX",
        "con-notes/a.md",
        "what? why*.md",
        "emoji 🎉.md",
        "日本語/ノート.md",
        " leading space.md"
      })
  void acceptsOrdinaryNames(String input) {
    assertThat(NotePath.of(input).value()).isEqualTo(input);
  }

  @Test
  void boundsAreInclusive() {
    assertThat(NotePath.of("x".repeat(NotePath.MAX_SEGMENT_BYTES)).name()).hasSize(255);
    assertThat(NotePath.of(longPath(NotePath.MAX_BYTES)).value()).hasSize(NotePath.MAX_BYTES);
    assertThat(NotePath.of(deepPath(NotePath.MAX_DEPTH)).segments()).hasSize(NotePath.MAX_DEPTH);
  }

  @Test
  void normalizesToNfc() {
    NotePath decomposed = NotePath.of("caf\u0065\u0301/e\u0301.md");
    NotePath composed = NotePath.of("café/é.md");
    assertThat(decomposed).isEqualTo(composed).hasSameHashCodeAs(composed);
    assertThat(decomposed.value()).isEqualTo("caf\u00e9/\u00e9.md");
    assertThat(decomposed.compareTo(composed)).isZero();
  }

  @Test
  void caseDiffersIsADifferentPath() {
    assertThat(NotePath.of("Notes.md")).isNotEqualTo(NotePath.of("notes.md"));
  }

  @Test
  void ordersByUtf8BytesNotUtf16Units() {
    // U+FF61 is one UTF-16 unit above the surrogates, but U+1F389 (a surrogate pair in UTF-16)
    // is the larger code point; String.compareTo gets this the other way round.
    NotePath halfwidth = NotePath.of("\uff61.md");
    NotePath emoji = NotePath.of("🎉.md");
    assertThat(halfwidth.value().compareTo(emoji.value())).isPositive();
    assertThat(halfwidth).isLessThan(emoji);
    assertThat(NotePath.of("a.md")).isLessThan(NotePath.of("a/b.md"));
    assertThat(NotePath.of("Z.md")).isLessThan(NotePath.of("a.md"));
  }

  @Test
  void segmentsNameAndParent() {
    NotePath p = NotePath.of("a/b/c.md");
    assertThat(p.segments()).containsExactly("a", "b", "c.md");
    assertThat(p.name()).isEqualTo("c.md");
    assertThat(p.parent()).contains(NotePath.of("a/b"));
    assertThat(p.parent().flatMap(NotePath::parent)).contains(NotePath.of("a"));
    assertThat(NotePath.of("a").parent()).isEmpty();
    assertThat(p.parent().orElseThrow().segments()).containsExactly("a", "b");
  }

  @Test
  void resolveValidatesTheChild() {
    NotePath folder = NotePath.of("a");
    assertThat(folder.resolve("b/c.md")).isEqualTo(NotePath.of("a/b/c.md"));
    assertThatThrownBy(() -> folder.resolve("../x"))
        .isInstanceOf(IllegalNotePathException.class)
        .hasMessageContaining("\"../x\"");
    assertThatThrownBy(() -> folder.resolve(""))
        .isInstanceOf(IllegalNotePathException.class)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> NotePath.of(deepPath(NotePath.MAX_DEPTH)).resolve("x"))
        .isInstanceOf(IllegalNotePathException.class)
        .hasMessageContaining("65 segments");
  }

  @Test
  void startsWithComparesWholeSegments() {
    NotePath p = NotePath.of("ab/c.md");
    assertThat(p.startsWith(NotePath.of("ab"))).isTrue();
    assertThat(p.startsWith(p)).isTrue();
    assertThat(p.startsWith(NotePath.of("a"))).isFalse();
    assertThat(p.startsWith(NotePath.of("ab/c"))).isFalse();
    assertThat(NotePath.of("ab").startsWith(p)).isFalse();
  }

  @Test
  void rebaseMovesPathsUnderARenamedFolder() {
    NotePath from = NotePath.of("Old");
    NotePath to = NotePath.of("New/Sub");
    assertThat(NotePath.of("Old/x/n.md").rebase(from, to)).isEqualTo(NotePath.of("New/Sub/x/n.md"));
    assertThat(from.rebase(from, to)).isEqualTo(to);
    assertThatThrownBy(() -> NotePath.of("Older/n.md").rebase(from, to))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"Older/n.md\" is not under \"Old\"");
  }

  @Test
  void fileRoundTrip(@TempDir Path root) {
    NotePath p = NotePath.of("Daily/2026/11-26 café.md");
    Path file = p.toFile(root);
    assertThat(file).isEqualTo(root.resolve("Daily").resolve("2026").resolve("11-26 café.md"));
    assertThat(NotePath.fromFile(root, file)).isEqualTo(p);
    assertThat(NotePath.fromFile(root.resolve("Daily/.."), file)).isEqualTo(p);
  }

  @Test
  void fromFileRefusesFilesOutsideTheRoot(@TempDir Path root) {
    assertThatThrownBy(() -> NotePath.fromFile(root, root.resolve("../escape.md")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not inside root");
    assertThatThrownBy(() -> NotePath.fromFile(root, root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not inside root");
    assertThatThrownBy(() -> NotePath.fromFile(root.resolve("a"), root.resolve("ab/c.md")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromFileValidatesTheName(@TempDir Path root) {
    assertThatThrownBy(() -> NotePath.fromFile(root, root.resolve("a\\b.md")))
        .isInstanceOf(IllegalNotePathException.class)
        .hasMessageContaining("backslash");
  }

  @Test
  void toFileRefusesEscape(@TempDir Path root) {
    // No valid NotePath can escape on this platform; the guard itself is checked directly.
    NotePath.requireInside(root, root.resolve("a/b.md"));
    assertThatThrownBy(() -> NotePath.requireInside(root, root.resolve("a/../../x.md")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("escapes root");
    assertThatThrownBy(() -> NotePath.requireInside(root, root.resolve("..")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NotePath.requireInside(root, root))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A path of {@code bytes} ASCII bytes: segments of 100 'y's separated by '/'. */
  private static String longPath(int bytes) {
    StringBuilder sb = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      sb.append(i % 101 == 100 ? '/' : 'y');
    }
    assertThat(sb.charAt(bytes - 1))
        .as("test helper: path must not end with '/'")
        .isNotEqualTo('/');
    return sb.toString();
  }

  private static String deepPath(int depth) {
    return String.join("/", Collections.nCopies(depth, "d"));
  }
}
