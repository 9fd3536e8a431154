package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault generator is deterministic and its notes look like a real vault's. */
class GenerateVaultTest {
  @TempDir Path tmp;

  @Test
  void theSameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
    GenerateVault.generate(tmp.resolve("a"), 200, 7, 2);
    GenerateVault.generate(tmp.resolve("b"), 200, 7, 2);
    GenerateVault.generate(tmp.resolve("c"), 200, 8, 2);

    Map<String, byte[]> a = files(tmp.resolve("a"));
    Map<String, byte[]> b = files(tmp.resolve("b"));
    assertThat(a.keySet()).isEqualTo(b.keySet());
    a.forEach((path, bytes) -> assertThat(b.get(path)).as(path).isEqualTo(bytes));
    assertThat(files(tmp.resolve("c")).keySet()).isNotEqualTo(a.keySet());
  }

  @Test
  void attachmentsLeaveTheNotesUnchangedAndAreOffByDefault() throws IOException {
    GenerateVault.generate(tmp.resolve("plain"), 100, 3);
    GenerateVault.generate(tmp.resolve("with"), 100, 3, 3);

    Map<String, byte[]> plain = files(tmp.resolve("plain"));
    Map<String, byte[]> with = files(tmp.resolve("with"));
    assertThat(plain.keySet()).noneMatch(p -> p.startsWith("Attachments/"));
    List<String> extra =
        with.keySet().stream().filter(p -> !plain.containsKey(p)).sorted().toList();
    assertThat(extra).hasSize(3).allMatch(p -> p.startsWith("Attachments/"));
    plain.forEach((path, bytes) -> assertThat(with.get(path)).as(path).isEqualTo(bytes));
    for (String p : extra) {
      assertThat(with.get(p).length)
          .isBetween(GenerateVault.MIN_ATTACHMENT, GenerateVault.MAX_ATTACHMENT);
    }
  }

  @Test
  void noteSizesHaveAMedianNearTwoKilobytesAndALongTail() throws IOException {
    long seed = 20261126;
    System.out.println("seed " + seed);
    GenerateVault.generate(tmp.resolve("v"), 2000, seed);

    Map<String, byte[]> all = files(tmp.resolve("v"));
    Map<String, byte[]> notes = new TreeMap<>(all);
    notes.keySet().removeIf(p -> p.startsWith(".") || !p.endsWith(".md"));
    assertThat(notes).hasSize(2000);
    int[] sizes = notes.values().stream().mapToInt(b -> b.length).sorted().toArray();
    int median = sizes[sizes.length / 2];
    long tail = Arrays.stream(sizes).filter(s -> s >= 50_000).count();
    assertThat(median).as("median note size").isBetween(1_500, 3_000);
    assertThat(tail).as("notes of 50 KB or more").isBetween(2L, 40L);
    assertThat(sizes[sizes.length - 1]).isLessThanOrEqualTo(520_000);
    assertThat(sizes[0]).isGreaterThanOrEqualTo(80);

    String text =
        new String(notes.values().iterator().next(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).startsWith("---\n").contains("\n# ");
    long withLinks = notes.values().stream().filter(b -> new String(b).contains("[[")).count();
    long withCode = notes.values().stream().filter(b -> new String(b).contains("```")).count();
    assertThat(withLinks).isGreaterThan(1000);
    assertThat(withCode).isGreaterThan(200);
    assertThat(all).containsKeys(".obsidian/app.json", ".obsidian/workspace.json");
    long depth2 =
        notes.keySet().stream().filter(p -> p.chars().filter(c -> c == '/').count() >= 2).count();
    assertThat(depth2).as("notes in nested folders").isPositive();
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
