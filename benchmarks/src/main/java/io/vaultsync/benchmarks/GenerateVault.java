package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a deterministic Obsidian-like vault: nested folders, Markdown notes with front matter,
 * headings, lists, {@code [[wikilinks]]} and code blocks, sizes long-tailed around a median of ~2
 * KB (a few of 50–500 KB), and a {@code .obsidian/} folder.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.GenerateVault DIR NOTES [SEED]
 * </pre>
 */
public final class GenerateVault {
  private static final String[] WORDS = {
    "note",
    "idea",
    "project",
    "meeting",
    "review",
    "draft",
    "sync",
    "vault",
    "link",
    "garden",
    "research",
    "paper",
    "book",
    "chapter",
    "summary",
    "question",
    "answer",
    "plan",
    "task",
    "daily",
    "weekly",
    "archive",
    "inbox",
    "reference",
    "concept",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "that",
    "this",
    "from",
    "by",
    "about"
  };

  private GenerateVault() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: GenerateVault DIR NOTES [SEED (1)]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int notes = Integer.parseInt(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    long bytes = generate(dir, notes, seed);
    System.out.printf(
        Locale.ROOT, "wrote %d notes, %d bytes to %s (seed %d)%n", notes, bytes, dir, seed);
  }

  /** Writes the vault; returns the bytes of note content written. */
  public static long generate(Path dir, int notes, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    List<Path> folders = new ArrayList<>();
    int top = Math.max(1, (int) Math.sqrt(notes) / 4);
    for (int i = 0; i < top; i++) {
      Path f = dir.resolve(title(r, 2));
      folders.add(f);
      for (int j = r.nextInt(4); j > 0; j--) {
        folders.add(f.resolve(title(r, 1)));
      }
    }
    List<String> names = new ArrayList<>(notes);
    for (int i = 0; i < notes; i++) {
      names.add(title(r, 2 + r.nextInt(3)) + " " + i);
    }
    long total = 0;
    for (int i = 0; i < notes; i++) {
      Path folder = folders.get(r.nextInt(folders.size()));
      Files.createDirectories(folder);
      byte[] body = note(r, names, size(r)).getBytes(StandardCharsets.UTF_8);
      Files.write(folder.resolve(names.get(i) + ".md"), body);
      total += body.length;
    }
    Path obsidian = Files.createDirectories(dir.resolve(".obsidian"));
    Files.writeString(
        obsidian.resolve("app.json"), "{\"legacyEditor\":false,\"livePreview\":true}\n");
    Files.writeString(obsidian.resolve("appearance.json"), "{\"theme\":\"obsidian\"}\n");
    Files.writeString(
        obsidian.resolve("core-plugins.json"), "[\"file-explorer\",\"search\",\"backlink\"]\n");
    return total;
  }

  /** Long-tailed: log-normal around 2 KB, one in 200 notes 50–500 KB. */
  static int size(SplittableRandom r) {
    if (r.nextInt(200) == 0) {
      return 50_000 + r.nextInt(450_000);
    }
    double g = r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5; // ~normal, sd 0.5
    return (int) Math.max(80, Math.min(40_000, 2000 * Math.exp(g * 1.4)));
  }

  static String title(SplittableRandom r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String w = WORDS[r.nextInt(WORDS.length)];
      sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
    }
    return sb.toString();
  }

  static String note(SplittableRandom r, List<String> names, int size) {
    StringBuilder sb = new StringBuilder(size + 200);
    sb.append("---\ntags: [")
        .append(WORDS[r.nextInt(WORDS.length)])
        .append("]\ncreated: 2026-")
        .append(String.format(Locale.ROOT, "%02d-%02d", 1 + r.nextInt(12), 1 + r.nextInt(28)))
        .append("\n---\n\n# ")
        .append(title(r, 3))
        .append("\n\n");
    while (sb.length() < size) {
      switch (r.nextInt(6)) {
        case 0 -> sb.append("## ").append(title(r, 2)).append("\n\n");
        case 1 -> {
          for (int i = 1 + r.nextInt(5); i > 0; i--) {
            sb.append("- ").append(sentence(r, names)).append('\n');
          }
          sb.append('\n');
        }
        case 2 -> sb.append("```java\nint x = ").append(r.nextInt(1000)).append(";\n```\n\n");
        default ->
            sb.append(sentence(r, names)).append(' ').append(sentence(r, names)).append("\n\n");
      }
    }
    return sb.toString();
  }

  static String sentence(SplittableRandom r, List<String> names) {
    StringBuilder sb = new StringBuilder();
    int n = 6 + r.nextInt(14);
    for (int i = 0; i < n; i++) {
      if (r.nextInt(25) == 0) {
        sb.append("[[").append(names.get(r.nextInt(names.size()))).append("]]");
      } else {
        sb.append(WORDS[r.nextInt(WORDS.length)]);
      }
      sb.append(i == n - 1 ? "." : " ");
    }
    return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
  }
}
