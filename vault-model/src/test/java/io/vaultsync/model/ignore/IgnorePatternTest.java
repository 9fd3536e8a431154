package io.vaultsync.model.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** gitignore's matching rules, one pattern against one path (not its parents). */
class IgnorePatternTest {
  private static List<String> segments(String path) {
    return Arrays.asList(path.split("/"));
  }

  @ParameterizedTest(name = "''{0}'' vs {1} (folder={2}): {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // A name without a slash matches at any depth.
        "*.tmp          | a.tmp              | false | true",
        "*.tmp          | x/y/a.tmp          | false | true",
        "*.tmp          | a.tmp.md           | false | false",
        "notes          | notes              | true  | true",
        "notes          | a/notes            | false | true",
        // '*' stays within a segment, '?' is one character, classes.
        "a*.md          | a/b.md             | false | false",
        "a?.md          | ab.md              | false | true",
        "a?.md          | a.md               | false | false",
        "a?.md          | a\uD83D\uDE00.md     | false | true", // '?' is one code point
        "*\uD83D\uDE00?   | x\uD83D\uDE00y      | false | true",
        "[abc].md       | b.md               | false | true",
        "[a-c].md       | d.md               | false | false",
        "[!a-c].md      | d.md               | false | true",
        "[^a-c].md      | a.md               | false | false",
        "[].md          | ].md               | false | false",
        "\\#*#          | #draft#            | false | true",
        "\\!important   | !important         | false | true",
        "a\\*           | a*                 | false | true",
        "a\\*           | ab                 | false | false",
        // A slash at the start or in the middle anchors to the vault root.
        "/todo.md       | todo.md            | false | true",
        "/todo.md       | a/todo.md          | false | false",
        "docs/*.md      | docs/a.md          | false | true",
        "docs/*.md      | x/docs/a.md        | false | false",
        "docs/*.md      | docs/sub/a.md      | false | false",
        // A trailing slash: folders only.
        "build/         | build              | true  | true",
        "build/         | build              | false | false",
        "build/         | x/build            | true  | true",
        "/build/        | x/build            | true  | false",
        // '**'.
        "**/cache       | cache              | true  | true",
        "**/cache       | a/b/cache          | false | true",
        "**/a/b         | x/a/b              | false | true",
        "a/**           | a/x                | false | true",
        "a/**           | a/x/y.md           | false | true",
        "a/**           | a                  | true  | false",
        "a/**/b         | a/b                | false | true",
        "a/**/b         | a/x/y/b            | false | true",
        "a/**/b         | a/x/y/c            | false | false",
        "a**b           | axxb               | false | true",
        "a**b           | ax/xb              | false | false",
        ".obsidian/workspace*.json | .obsidian/workspace.json | false | true",
        ".obsidian/workspace*.json | .obsidian/workspace-mobile.json | false | true",
        ".obsidian/workspace*.json | .obsidian/workspaces.json | false | true",
        ".obsidian/workspace*.json | x/.obsidian/workspace.json | false | false",
      })
  void matchesLikeGitignore(String pattern, String path, boolean folder, boolean matches) {
    IgnorePattern p = IgnorePattern.parse(pattern).orElseThrow();
    assertThat(p.matches(segments(path), folder)).isEqualTo(matches);
  }

  @Test
  void blankLinesAndCommentsAreNoPatterns() {
    assertThat(IgnorePattern.parse("")).isEmpty();
    assertThat(IgnorePattern.parse("   ")).isEmpty();
    assertThat(IgnorePattern.parse("# a comment")).isEmpty();
    assertThat(IgnorePattern.parse("*.tmp   ")).get().hasToString("*.tmp   ");
  }

  @Test
  void anEscapedTrailingSpaceIsKept() {
    IgnorePattern p = IgnorePattern.parse("a\\ ").orElseThrow();
    assertThat(p.matches(List.of("a "), false)).isTrue();
    assertThat(p.matches(List.of("a"), false)).isFalse();
  }

  @Test
  void negationAndFolderOnlyAreRead() {
    IgnorePattern p = IgnorePattern.parse("!keep/").orElseThrow();
    assertThat(p.negated()).isTrue();
    assertThat(p.folderOnly()).isTrue();
  }

  @Test
  void patternsThatNameNothingAreRefusedQuotingTheLine() {
    assertThatThrownBy(() -> IgnorePattern.parse("/")).hasMessageContaining("\"/\"");
    assertThatThrownBy(() -> IgnorePattern.parse("!")).hasMessageContaining("\"!\"");
    assertThatThrownBy(() -> IgnorePattern.parse("a//b")).hasMessageContaining("a//b");
    assertThatThrownBy(() -> IgnorePattern.parse("x".repeat(IgnorePattern.MAX_LINE + 1)))
        .hasMessageContaining("4097 characters");
  }

  @Test
  void aHostilePatternCannotStallMatching() {
    IgnorePattern p = IgnorePattern.parse("*a*a*a*a*a*a*a*a*a*a*a*a*b").orElseThrow();
    String name = "a".repeat(4000);
    long start = System.nanoTime();
    assertThat(p.matches(List.of(name), false)).isFalse();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }
}
