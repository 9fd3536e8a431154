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
 * KB (a few of 50–500 KB), a {@code .obsidian/} folder (app, appearance, core plugins, hotkeys,
 * workspace), and optionally binary attachments of 100 KB–5 MB in {@code Attachments/}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.GenerateVault DIR NOTES [SEED [ATTACHMENTS]]
 * </pre>
 *
 * <p>The same arguments write the same bytes. Attachments come from their own random stream, so
 * asking for them leaves the notes unchanged.
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
    if (args.length < 2 || args.length > 4) {
      System.err.println("usage: GenerateVault DIR NOTES [SEED (1) [ATTACHMENTS (0)]]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int notes = Integer.parseInt(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    int attachments = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    long bytes = generate(dir, notes, seed, attachments);
    System.out.printf(
        Locale.ROOT, "wrote %d notes, %d bytes to %s (seed %d)%n", notes, bytes, dir, seed);
  }

  /** Writes the vault without attachments; returns the bytes of note content written. */
  public static long generate(Path dir, int notes, long seed) throws IOException {
    return generate(dir, notes, seed, 0);
  }

  /**
   * Writes the vault with {@code attachments} binary files (100 KB–5 MB each, incompressible) in
   * {@code Attachments/}; returns the bytes of note and attachment content written.
   */
  public static long generate(Path dir, int notes, long seed, int attachments) throws IOException {
    if (notes < 1 || attachments < 0) {
      throw new IllegalArgumentException(
          "notes "
              + notes
              + ", attachments "
              + attachments
              + "; expected notes >= 1, attachments >= 0");
    }
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
    Files.writeString(obsidian.resolve("hotkeys.json"), "{}\n");
    Files.writeString(
        obsidian.resolve("workspace.json"),
        "{\"main\":{\"id\":\"main\",\"type\":\"split\",\"children\":[]},"
            + "\"active\":\"main\",\"lastOpenFiles\":[\""
            + names.get(0)
            + ".md\"]}\n");
    return total + attachments(dir, attachments, seed);
  }

  /** Smallest and largest attachment, bytes. */
  static final int MIN_ATTACHMENT = 100_000;

  static final int MAX_ATTACHMENT = 5_000_000;

  private static long attachments(Path dir, int count, long seed) throws IOException {
    if (count == 0) {
      return 0;
    }
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Path folder = Files.createDirectories(dir.resolve("Attachments"));
    long total = 0;
    for (int i = 0; i < count; i++) {
      // log-uniform between 100 KB and 5 MB: most are small images, a few are PDFs or recordings
      double f = r.nextDouble();
      int size =
          (int)
              Math.min(
                  MAX_ATTACHMENT,
                  MIN_ATTACHMENT * Math.pow(MAX_ATTACHMENT / (double) MIN_ATTACHMENT, f));
      byte[] body = new byte[size];
      for (int j = 0; j < size; j += 8) {
        long v = r.nextLong();
        for (int k = 0; k < 8 && j + k < size; k++) {
          body[j + k] = (byte) (v >>> (8 * k));
        }
      }
      String ext = i % 3 == 0 ? ".pdf" : ".png";
      Files.write(folder.resolve(String.format(Locale.ROOT, "Pasted image %04d%s", i, ext)), body);
      total += size;
    }
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
