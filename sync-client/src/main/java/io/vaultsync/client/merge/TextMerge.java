package io.vaultsync.client.merge;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Line-based three-way merge (diff3) on top of java-diff-utils. Pure: no I/O.
 *
 * <p>Both sides are diffed against the base; each diff is a list of hunks, each replacing a range
 * of base lines. Hunks whose base ranges overlap or touch (an edit directly next to the other
 * side's edit, like git does) are grouped. A group changed by one side only takes that side's
 * lines; a group both sides changed identically takes them once; otherwise the merge conflicts and
 * no merged text is produced, so the caller keeps both versions.
 *
 * <p>Lines keep their terminators ({@code \n}, {@code \r\n} or none at the end), so a merge of
 * texts that agree on line endings reproduces them byte for byte.
 */
public final class TextMerge {
  private TextMerge() {}

  /** A change of base lines {@code [from, to)} into {@code lines}, by one side. */
  private record Hunk(int from, int to, List<String> lines, boolean local) {}

  /** Merges UTF-8 texts; see {@link #merge(List, List, List)}. */
  public static MergeResult merge(String base, String local, String remote) {
    List<String> merged = merge(lines(base), lines(local), lines(remote)).lines();
    return merged == null ? MergeResult.conflict() : MergeResult.clean(String.join("", merged));
  }

  /** Merges UTF-8 byte contents. */
  public static MergeResult merge(byte[] base, byte[] local, byte[] remote) {
    return merge(utf8(base), utf8(local), utf8(remote));
  }

  /** The merged lines (with terminators), or a result with null lines on conflict. */
  static LineMerge merge(List<String> base, List<String> local, List<String> remote) {
    List<Hunk> hunks = new ArrayList<>();
    hunks.addAll(hunks(base, local, true));
    hunks.addAll(hunks(base, remote, false));
    hunks.sort(Comparator.comparingInt(Hunk::from).thenComparingInt(Hunk::to));
    List<String> out = new ArrayList<>();
    int next = 0; // first base line not yet emitted
    int i = 0;
    while (i < hunks.size()) {
      int from = hunks.get(i).from();
      int to = hunks.get(i).to();
      int j = i + 1;
      while (j < hunks.size() && hunks.get(j).from() <= to) {
        to = Math.max(to, hunks.get(j).to());
        j++;
      }
      List<Hunk> group = hunks.subList(i, j);
      out.addAll(base.subList(next, from));
      List<String> mine = apply(base, from, to, group, true);
      List<String> theirs = apply(base, from, to, group, false);
      boolean localChanged = group.stream().anyMatch(Hunk::local);
      boolean remoteChanged = group.stream().anyMatch(h -> !h.local());
      if (localChanged && remoteChanged && !mine.equals(theirs)) {
        return new LineMerge(null);
      }
      out.addAll(localChanged ? mine : theirs);
      next = to;
      i = j;
    }
    out.addAll(base.subList(next, base.size()));
    return new LineMerge(out);
  }

  /** Result lines of a merge, null on conflict. */
  record LineMerge(List<String> lines) {}

  /** Base lines {@code [from, to)} with one side's hunks of the group applied. */
  private static List<String> apply(
      List<String> base, int from, int to, List<Hunk> group, boolean local) {
    List<String> out = new ArrayList<>();
    int at = from;
    for (Hunk h : group) {
      if (h.local() != local) {
        continue;
      }
      out.addAll(base.subList(at, h.from()));
      out.addAll(h.lines());
      at = h.to();
    }
    out.addAll(base.subList(at, to));
    return out;
  }

  private static List<Hunk> hunks(List<String> base, List<String> side, boolean local) {
    List<Hunk> out = new ArrayList<>();
    for (AbstractDelta<String> d : DiffUtils.diff(base, side).getDeltas()) {
      int from = d.getSource().getPosition();
      out.add(new Hunk(from, from + d.getSource().size(), d.getTarget().getLines(), local));
    }
    return out;
  }

  /** Splits {@code text} into lines that keep their terminators; "" has no lines. */
  static List<String> lines(String text) {
    Objects.requireNonNull(text, "text");
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        out.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  private static String utf8(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }
}
