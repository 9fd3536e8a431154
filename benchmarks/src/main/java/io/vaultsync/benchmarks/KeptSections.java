package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sections of a generated Markdown file that another command writes ({@code <!-- begin NAME -->}
 * ... {@code <!-- end NAME -->}): e.g. the cluster benchmark's section of {@code
 * docs/benchmarks.md}. That command replaces its own section; the vault benchmark, which writes the
 * rest of the file anew, keeps every such section at the end.
 */
public final class KeptSections {
  private static final Pattern SECTION =
      Pattern.compile("<!-- begin ([a-z0-9-]+) -->\\n.*?<!-- end \\1 -->\\n", Pattern.DOTALL);

  private KeptSections() {}

  /** Every kept section of {@code markdown}, in order, each ending with a newline ("" if none). */
  static String of(String markdown) {
    StringBuilder kept = new StringBuilder();
    Matcher m = SECTION.matcher(markdown);
    while (m.find()) {
      kept.append('\n').append(m.group());
    }
    return kept.toString();
  }

  /** The kept sections of the file {@code markdown} ("" if it does not exist). */
  static String of(Path markdown) throws IOException {
    return Files.exists(markdown) ? of(Files.readString(markdown, StandardCharsets.UTF_8)) : "";
  }

  /**
   * {@code markdown} with the section {@code name} set to {@code body} (a Markdown text ending with
   * a newline): in place of the old one, or appended.
   */
  static String with(String markdown, String name, String body) {
    String section = "<!-- begin " + name + " -->\n" + body + "<!-- end " + name + " -->\n";
    Pattern old =
        Pattern.compile(
            "<!-- begin "
                + Pattern.quote(name)
                + " -->\\n.*?<!-- end "
                + Pattern.quote(name)
                + " -->\\n",
            Pattern.DOTALL);
    Matcher m = old.matcher(markdown);
    if (m.find()) {
      return markdown.substring(0, m.start()) + section + markdown.substring(m.end());
    }
    return markdown + (markdown.isEmpty() || markdown.endsWith("\n\n") ? "" : "\n") + section;
  }

  /** Sets the section {@code name} of the file {@code markdown} to {@code body}. */
  public static void write(Path markdown, String name, String body) throws IOException {
    String now = Files.exists(markdown) ? Files.readString(markdown, StandardCharsets.UTF_8) : "";
    BenchmarkTables.writeAtomically(markdown, with(now, name, body));
  }
}
