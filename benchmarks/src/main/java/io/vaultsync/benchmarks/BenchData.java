package io.vaultsync.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic inputs for the benchmarks and the rdiff comparison: a Markdown-like text or a
 * structured binary basis, and targets derived from it by the edit {@link Scenario}s. Everything is
 * a pure function of (kind, size, seed): the same arguments give the same bytes on every machine,
 * so JMH runs and {@link GenerateFiles} runs measure the same data.
 *
 * <p>Over 400 lines: the generated inputs of the JMH benchmarks, a small generator each.
 */
public final class BenchData {
  /** Seed of every basis. */
  public static final long SEED = 0x5EED_2026_0001L;

  /** Seed of the unrelated target: same generator, different data. */
  public static final long UNRELATED_SEED = 0x5EED_2026_0002L;

  /** Seed of the edits a scenario makes. */
  public static final long EDIT_SEED = 0x5EED_2026_0003L;

  /** Block length the scenarios are defined against (and the default of every benchmark). */
  public static final int DEFAULT_BLOCK_LENGTH = 2048;

  public static final int MIB = 1 << 20;

  /** Length of the "small edit" of {@link Scenario#ONE_EDIT} and {@link Scenario#SPARSE}. */
  static final int SMALL_EDIT = 20;

  /** Bytes put in front of the basis by {@link Scenario#PREPEND}. */
  static final int PREPEND_LENGTH = 1024;

  /** Blocks between two edits of {@link Scenario#SPARSE}. */
  static final int SPARSE_EVERY_BLOCKS = 100;

  /** Longest single edit of {@link Scenario#SCATTERED}. */
  static final int SCATTERED_MAX_EDIT = 64;

  /** What kind of data a basis holds. */
  public enum Kind {
    /** Markdown-like notes: headings, paragraphs, lists, links, code blocks, tables. */
    TEXT,
    /** Random bytes with structure: zero runs, repeated patterns, counters, internal repeats. */
    BINARY
  }

  /** How a target differs from its basis. */
  public enum Scenario {
    /** Same bytes. */
    IDENTICAL,
    /** 20 bytes overwritten in the middle. */
    ONE_EDIT,
    /**
     * One 20-byte edit in every stretch of 100 blocks, at a random place in it; the edits cycle
     * through overwrite, insert and delete, so later data shifts against the block grid.
     */
    SPARSE,
    /** 1 KiB inserted in front: every block is shifted. */
    PREPEND,
    /**
     * Edits of 1..64 bytes (overwrite, insert or delete, equally likely) at random places until 1%
     * of the basis bytes were touched: with 2 KiB blocks about half the blocks change.
     */
    SCATTERED,
    /** Different data of the same kind and size. */
    UNRELATED;

    /** Lower-case name with dashes, used for file names and tables. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private BenchData() {}

  /** The basis of {@code kind}, {@code size} bytes. */
  public static byte[] basis(Kind kind, int size) {
    return generate(kind, size, SEED);
  }

  /** {@code size} bytes of {@code kind} from {@code seed}. */
  public static byte[] generate(Kind kind, int size, long seed) {
    if (size < 0) {
      throw new IllegalArgumentException("size " + size + "; expected >= 0");
    }
    return switch (kind) {
      case TEXT -> new TextGenerator(new SplittableRandom(seed)).generate(size);
      case BINARY -> binary(new SplittableRandom(seed), size);
    };
  }

  /**
   * The target of {@code scenario} for {@code basis}; {@code blockLength} only sets the spacing of
   * {@link Scenario#SPARSE}. {@link Scenario#IDENTICAL} returns a copy.
   */
  public static byte[] target(Kind kind, Scenario scenario, byte[] basis, int blockLength) {
    SplittableRandom rnd = new SplittableRandom(EDIT_SEED ^ scenario.ordinal());
    return switch (scenario) {
      case IDENTICAL -> basis.clone();
      case ONE_EDIT -> {
        byte[] t = basis.clone();
        overwrite(kind, rnd, t, Math.max(0, t.length / 2 - SMALL_EDIT / 2), SMALL_EDIT);
        yield t;
      }
      case SPARSE -> sparse(kind, rnd, basis, (long) blockLength * SPARSE_EVERY_BLOCKS);
      case PREPEND -> {
        byte[] head = fresh(kind, rnd, PREPEND_LENGTH);
        byte[] t = Arrays.copyOf(head, PREPEND_LENGTH + basis.length);
        System.arraycopy(basis, 0, t, PREPEND_LENGTH, basis.length);
        yield t;
      }
      case SCATTERED -> scattered(kind, rnd, basis);
      case UNRELATED -> generate(kind, basis.length, UNRELATED_SEED);
    };
  }

  // ---- edits

  private static final int OVERWRITE = 0;
  private static final int INSERT = 1;
  private static final int DELETE = 2;

  private static byte[] sparse(Kind kind, SplittableRandom rnd, byte[] basis, long every) {
    int n = (int) (basis.length / every);
    int[] pos = new int[n];
    int[] op = new int[n];
    int[] len = new int[n];
    for (int i = 0; i < n; i++) {
      pos[i] = (int) (i * every + rnd.nextLong(every - SMALL_EDIT));
      op[i] = i % 3;
      len[i] = SMALL_EDIT;
    }
    return apply(kind, rnd, basis, pos, op, len, n);
  }

  private static byte[] scattered(Kind kind, SplittableRandom rnd, byte[] basis) {
    long budget = basis.length / 100;
    int cap = (int) Math.max(16, budget / 16);
    int[] pos = new int[cap];
    int[] op = new int[cap];
    int[] len = new int[cap];
    int n = 0;
    for (long touched = 0; touched < budget && basis.length > SCATTERED_MAX_EDIT; n++) {
      if (n == pos.length) {
        pos = Arrays.copyOf(pos, 2 * n);
        op = Arrays.copyOf(op, 2 * n);
        len = Arrays.copyOf(len, 2 * n);
      }
      pos[n] = rnd.nextInt(basis.length - SCATTERED_MAX_EDIT);
      op[n] = rnd.nextInt(3);
      len[n] = 1 + rnd.nextInt(SCATTERED_MAX_EDIT);
      touched += len[n];
    }
    // Sort edits by position (positions are distinct enough; ties keep any order).
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) {
      keyed[i] = ((long) pos[i] << 32) | i;
    }
    Arrays.sort(keyed);
    int[] p2 = new int[n];
    int[] o2 = new int[n];
    int[] l2 = new int[n];
    for (int i = 0; i < n; i++) {
      int j = (int) keyed[i];
      p2[i] = pos[j];
      o2[i] = op[j];
      l2[i] = len[j];
    }
    return apply(kind, rnd, basis, p2, o2, l2, n);
  }

  /** Applies edits sorted by position; an edit that starts inside the previous one is skipped. */
  private static byte[] apply(
      Kind kind, SplittableRandom rnd, byte[] basis, int[] pos, int[] op, int[] len, int n) {
    long grow = 0;
    for (int i = 0; i < n; i++) {
      if (op[i] == INSERT) {
        grow += len[i];
      }
    }
    byte[] out = new byte[Math.toIntExact(basis.length + grow)];
    int in = 0;
    int o = 0;
    for (int i = 0; i < n; i++) {
      int p = pos[i];
      if (p < in) {
        continue;
      }
      System.arraycopy(basis, in, out, o, p - in);
      o += p - in;
      in = p;
      switch (op[i]) {
        case OVERWRITE -> {
          int l = Math.min(len[i], basis.length - in);
          System.arraycopy(basis, in, out, o, l);
          overwrite(kind, rnd, out, o, l);
          o += l;
          in += l;
        }
        case INSERT -> {
          byte[] ins = fresh(kind, rnd, len[i]);
          System.arraycopy(ins, 0, out, o, ins.length);
          o += ins.length;
        }
        default -> in += Math.min(len[i], basis.length - in);
      }
    }
    System.arraycopy(basis, in, out, o, basis.length - in);
    o += basis.length - in;
    return Arrays.copyOf(out, o);
  }

  /** Replaces {@code data[off..off+len)} by bytes of the same kind, each different from before. */
  private static void overwrite(Kind kind, SplittableRandom rnd, byte[] data, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b;
      do {
        b = freshByte(kind, rnd);
      } while (b == data[i]);
      data[i] = b;
    }
  }

  private static byte[] fresh(Kind kind, SplittableRandom rnd, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = freshByte(kind, rnd);
    }
    return b;
  }

  private static byte freshByte(Kind kind, SplittableRandom rnd) {
    return kind == Kind.TEXT
        ? (byte) "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ.,".charAt(rnd.nextInt(39))
        : (byte) rnd.nextInt(256);
  }

  // ---- binary

  /**
   * Random data with the structure of real binaries: incompressible runs, zero padding, a short
   * pattern repeated, little-endian counters with noise, and repeats of earlier data.
   */
  private static byte[] binary(SplittableRandom rnd, int size) {
    byte[] out = new byte[size];
    int o = 0;
    while (o < size) {
      int kind = rnd.nextInt(100);
      int len;
      if (kind < 40) {
        len = 64 + rnd.nextInt(4096);
        for (int i = 0; i < len && o + i < size; i++) {
          out[o + i] = (byte) rnd.nextInt(256);
        }
      } else if (kind < 50) {
        len = 16 + rnd.nextInt(2048); // zeros: already there
      } else if (kind < 65) {
        len = 256 + rnd.nextInt(8192);
        int plen = 4 + rnd.nextInt(13);
        byte[] pattern = new byte[plen];
        for (int i = 0; i < plen; i++) {
          pattern[i] = (byte) rnd.nextInt(256);
        }
        for (int i = 0; i < len && o + i < size; i++) {
          out[o + i] = pattern[i % plen];
        }
      } else if (kind < 85) {
        len = 512 + rnd.nextInt(4096);
        int v = rnd.nextInt(1 << 20);
        for (int i = 0; i + 3 < len && o + i + 3 < size; i += 4) {
          v += 1 + rnd.nextInt(8);
          out[o + i] = (byte) v;
          out[o + i + 1] = (byte) (v >>> 8);
          out[o + i + 2] = (byte) (v >>> 16);
          out[o + i + 3] = (byte) (v >>> 24);
        }
      } else {
        len = 32 + rnd.nextInt(1024);
        int lo = Math.max(0, o - (1 << 20));
        int hi = o - len;
        if (hi >= lo) {
          System.arraycopy(out, lo + rnd.nextInt(hi - lo + 1), out, o, Math.min(len, size - o));
        }
      }
      o += len;
    }
    return out;
  }

  // ---- text

  /** Markdown notes from a seeded vocabulary with a Zipf-like word frequency. */
  private static final class TextGenerator {
    private static final String[] SYLLABLES = {
      "ka", "to", "ri", "an", "el", "mo", "su", "ver", "lin", "da", "po", "ne", "sta", "qu", "ix",
      "or", "be", "ga", "lu", "tre", "ch", "on", "mi", "de", "wa", "ys", "fe", "ro", "ul", "sa"
    };

    private final SplittableRandom rnd;
    private final byte[][] words;
    private byte[] out;
    private int o;

    TextGenerator(SplittableRandom rnd) {
      this.rnd = rnd;
      this.words = new byte[4096][];
      for (int i = 0; i < words.length; i++) {
        StringBuilder w = new StringBuilder();
        int syl = 1 + rnd.nextInt(i < 64 ? 2 : 4);
        for (int s = 0; s < syl; s++) {
          w.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
        }
        words[i] = w.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      }
    }

    byte[] generate(int size) {
      out = new byte[size];
      o = 0;
      while (o < size) {
        int r = rnd.nextInt(100);
        if (r < 8) {
          put("\n");
          put("#".repeat(1 + rnd.nextInt(3)));
          put(" ");
          sentence(2 + rnd.nextInt(5), false);
          put("\n\n");
        } else if (r < 55) {
          int sentences = 1 + rnd.nextInt(6);
          for (int s = 0; s < sentences; s++) {
            sentence(4 + rnd.nextInt(18), true);
            put(s + 1 < sentences ? " " : "\n\n");
          }
        } else if (r < 80) {
          int items = 2 + rnd.nextInt(6);
          for (int i = 0; i < items; i++) {
            put(rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? "- [ ] " : "- [x] ") : "- ");
            sentence(3 + rnd.nextInt(10), false);
            put("\n");
          }
          put("\n");
        } else if (r < 88) {
          put("```");
          put(rnd.nextBoolean() ? "java\n" : "bash\n");
          int lines = 2 + rnd.nextInt(8);
          for (int i = 0; i < lines; i++) {
            put("  ".repeat(rnd.nextInt(3)));
            word();
            put(rnd.nextBoolean() ? "(" : " = ");
            word();
            put(rnd.nextBoolean() ? ");\n" : ";\n");
          }
          put("```\n\n");
        } else if (r < 94) {
          put("| ");
          word();
          put(" | ");
          word();
          put(" |\n|---|---|\n");
          int rows = 2 + rnd.nextInt(5);
          for (int i = 0; i < rows; i++) {
            put("| ");
            word();
            put(" | " + rnd.nextInt(10_000) + " |\n");
          }
          put("\n");
        } else {
          put("> ");
          sentence(5 + rnd.nextInt(12), true);
          put("\n\n");
        }
      }
      return out;
    }

    private void sentence(int n, boolean punctuate) {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          put(" ");
        }
        int r = rnd.nextInt(40);
        if (r == 0) {
          put("[[");
          word();
          put(" ");
          word();
          put("]]");
        } else if (r == 1) {
          put("**");
          word();
          put("**");
        } else if (r == 2) {
          put("`");
          word();
          put("`");
        } else if (r == 3) {
          put("#");
          word();
        } else {
          word();
        }
      }
      if (punctuate) {
        put(rnd.nextInt(8) == 0 ? "?" : ".");
      }
    }

    private void word() {
      double u = rnd.nextDouble();
      put(words[(int) (words.length * u * u * u)]);
    }

    private void put(String s) {
      for (int i = 0; i < s.length() && o < out.length; i++) {
        out[o++] = (byte) s.charAt(i);
      }
    }

    private void put(byte[] b) {
      int n = Math.min(b.length, out.length - o);
      System.arraycopy(b, 0, out, o, n);
      o += n;
    }
  }
}
