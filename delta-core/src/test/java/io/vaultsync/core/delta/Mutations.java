package io.vaultsync.core.delta;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Seeded edits of byte arrays and generated text, for round-trip tests. */
public final class Mutations {
  private Mutations() {}

  /** Markdown-like text of about {@code length} bytes. */
  public static byte[] text(Random random, int length) {
    String[] words = {
      "note", "sync", "vault", "the", "a", "[[link]]", "## Heading", "- item", "rsync", "delta",
      "block", "`code`", "**bold**", "and", "of", "to", "in", "Obsidian", "markdown", "2026-11-26"
    };
    StringBuilder sb = new StringBuilder(length + 64);
    while (sb.length() < length) {
      sb.append(words[random.nextInt(words.length)]);
      sb.append(random.nextInt(12) == 0 ? "\n" : " ");
    }
    return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.UTF_8), length);
  }

  public static byte[] random(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  /**
   * One random edit of the kinds rsync meets: insert, delete, replace, move a block, CRLF flip,
   * prepend, append.
   */
  public static byte[] mutate(Random random, byte[] data) {
    int kind = random.nextInt(7);
    int n = data.length;
    switch (kind) {
      case 0 -> { // insert
        int at = random.nextInt(n + 1);
        return splice(data, at, 0, random(random, 1 + random.nextInt(300)));
      }
      case 1 -> { // delete
        if (n == 0) {
          return data;
        }
        int at = random.nextInt(n);
        return splice(data, at, Math.min(n - at, 1 + random.nextInt(300)), new byte[0]);
      }
      case 2 -> { // replace
        if (n == 0) {
          return data;
        }
        int at = random.nextInt(n);
        int len = Math.min(n - at, 1 + random.nextInt(100));
        return splice(data, at, len, random(random, len));
      }
      case 3 -> { // move a block
        if (n < 2) {
          return data;
        }
        int from = random.nextInt(n);
        int len = Math.min(n - from, 1 + random.nextInt(Math.max(1, n / 4)));
        byte[] piece = Arrays.copyOfRange(data, from, from + len);
        byte[] without = splice(data, from, len, new byte[0]);
        return splice(without, random.nextInt(without.length + 1), 0, piece);
      }
      case 4 -> { // CRLF flip
        String s = new String(data, StandardCharsets.ISO_8859_1);
        s = s.contains("\r\n") ? s.replace("\r\n", "\n") : s.replace("\n", "\r\n");
        return s.getBytes(StandardCharsets.ISO_8859_1);
      }
      case 5 -> {
        return splice(data, 0, 0, random(random, 1 + random.nextInt(5000)));
      }
      default -> {
        return splice(data, n, 0, random(random, 1 + random.nextInt(5000)));
      }
    }
  }

  public static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + insert.length);
    out.write(data, 0, at);
    out.write(insert, 0, insert.length);
    out.write(data, at + remove, data.length - at - remove);
    return out.toByteArray();
  }
}
