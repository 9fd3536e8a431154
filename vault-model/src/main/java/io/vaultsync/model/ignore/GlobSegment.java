package io.vaultsync.model.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * One path segment of a gitignore pattern ({@code *}, {@code ?}, {@code [a-z]}, {@code [!...]},
 * {@code \} escapes), matched against one segment of a path. Matching is the greedy wildcard
 * algorithm that backtracks only to the last {@code *}: O(pattern × name), never exponential, so a
 * hostile pattern cannot stall a scan. Immutable.
 */
final class GlobSegment {
  /** A token: a code point, ANY ({@code ?}), STAR ({@code *}) or a class. */
  private sealed interface Token {}

  private record Literal(int codePoint) implements Token {}

  private record Any() implements Token {}

  private record Star() implements Token {}

  /** {@code ranges} holds pairs (low, high), inclusive. */
  private record CharClass(int[] ranges, boolean negated) implements Token {
    boolean matches(int c) {
      boolean in = false;
      for (int i = 0; i < ranges.length; i += 2) {
        if (c >= ranges[i] && c <= ranges[i + 1]) {
          in = true;
          break;
        }
      }
      return in != negated;
    }
  }

  private static final Token ANY = new Any();
  private static final Token STAR = new Star();

  /** How a segment is matched: most patterns are a literal, a suffix or a prefix. */
  private enum Shape {
    LITERAL,
    SUFFIX, // * then literals
    PREFIX, // literals then *
    GENERAL
  }

  private final String source;
  private final Token[] tokens;
  private final Shape shape;
  private final String literal;

  private GlobSegment(String source, Token[] tokens) {
    this.source = source;
    this.tokens = tokens;
    int stars = 0;
    boolean onlyLiterals = true;
    StringBuilder lit = new StringBuilder();
    for (Token t : tokens) {
      if (t == STAR) {
        stars++;
      } else if (t instanceof Literal l) {
        lit.appendCodePoint(l.codePoint());
      } else {
        onlyLiterals = false;
      }
    }
    this.literal = lit.toString();
    if (!onlyLiterals || stars > 1) {
      this.shape = Shape.GENERAL;
    } else if (stars == 0) {
      this.shape = Shape.LITERAL;
    } else if (tokens[0] == STAR) {
      this.shape = Shape.SUFFIX;
    } else if (tokens[tokens.length - 1] == STAR) {
      this.shape = Shape.PREFIX;
    } else {
      this.shape = Shape.GENERAL;
    }
  }

  /** Parses one segment (no {@code /}) of a pattern. */
  static GlobSegment parse(String segment) {
    List<Token> out = new ArrayList<>();
    int[] cps = segment.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '\\' && i + 1 < cps.length) {
        out.add(new Literal(cps[++i]));
      } else if (c == '*') {
        if (out.isEmpty() || out.get(out.size() - 1) != STAR) {
          out.add(STAR);
        }
      } else if (c == '?') {
        out.add(ANY);
      } else if (c == '[') {
        int end = classEnd(cps, i);
        if (end < 0) {
          out.add(new Literal(c));
        } else {
          out.add(charClass(cps, i + 1, end));
          i = end;
        }
      } else {
        out.add(new Literal(c));
      }
    }
    return new GlobSegment(segment, out.toArray(new Token[0]));
  }

  /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
  private static int classEnd(int[] cps, int open) {
    int i = open + 1;
    if (i < cps.length && (cps[i] == '!' || cps[i] == '^')) {
      i++;
    }
    if (i < cps.length && cps[i] == ']') {
      i++; // a ']' first is a member
    }
    for (; i < cps.length; i++) {
      if (cps[i] == '\\') {
        i++;
      } else if (cps[i] == ']') {
        return i;
      }
    }
    return -1;
  }

  private static CharClass charClass(int[] cps, int from, int end) {
    boolean negated = false;
    int i = from;
    if (cps[i] == '!' || cps[i] == '^') {
      negated = true;
      i++;
    }
    List<Integer> ranges = new ArrayList<>();
    boolean first = true;
    while (i < end) {
      int lo = cps[i];
      if (lo == '\\' && i + 1 < end) {
        lo = cps[++i];
      } else if (lo == ']' && !first) {
        break;
      }
      first = false;
      i++;
      int hi = lo;
      if (i + 1 < end && cps[i] == '-') {
        hi = cps[i + 1];
        if (hi == '\\' && i + 2 < end) {
          hi = cps[i + 2];
          i++;
        }
        i += 2;
      }
      ranges.add(Math.min(lo, hi));
      ranges.add(Math.max(lo, hi));
    }
    return new CharClass(ranges.stream().mapToInt(Integer::intValue).toArray(), negated);
  }

  /** Whether the segment matches all of {@code name}. */
  boolean matches(String name) {
    switch (shape) {
      case LITERAL:
        return name.equals(literal);
      case SUFFIX:
        return name.endsWith(literal);
      case PREFIX:
        return name.startsWith(literal);
      default:
        return general(name);
    }
  }

  /** The greedy algorithm over code points, without allocating. */
  private boolean general(String s) {
    int si = 0;
    int ti = 0;
    int starT = -1;
    int starS = 0;
    while (si < s.length()) {
      int c = s.codePointAt(si);
      if (ti < tokens.length && tokens[ti] != STAR && one(tokens[ti], c)) {
        si += Character.charCount(c);
        ti++;
      } else if (ti < tokens.length && tokens[ti] == STAR) {
        starT = ti++;
        starS = si;
      } else if (starT >= 0) {
        ti = starT + 1;
        starS += Character.charCount(s.codePointAt(starS));
        si = starS;
      } else {
        return false;
      }
    }
    while (ti < tokens.length && tokens[ti] == STAR) {
      ti++;
    }
    return ti == tokens.length;
  }

  private static boolean one(Token t, int c) {
    if (t instanceof Literal l) {
      return l.codePoint() == c;
    }
    if (t instanceof CharClass k) {
      return k.matches(c);
    }
    return t == ANY;
  }

  @Override
  public String toString() {
    return source;
  }
}
