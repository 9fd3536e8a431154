package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.InProcessVaultTransport;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three replicas, a seeded random sequence of creates, edits, deletes, moves, folder renames and
 * same-file conflicts with syncs interleaved; at the end every replica equals the server and no
 * version that existed at a sync was lost.
 */
class ConvergencePropertyTest {
  @TempDir Path tmp;

  private static final String[] FOLDERS = {"", "a/", "b/", "a/x/", "c/"};
  private long clock = 1_700_000_000_000L;

  /** The server under test, as the property sees it. */
  interface Backend extends AutoCloseable {
    /** A connection for one replica's device. */
    VaultTransport connect(String device) throws IOException;

    /** Sorted (path, hash) of what the server holds as the vault's master copy. */
    Map<String, ContentHash> masterCopy() throws IOException;

    /** Whether the server still stores content {@code hash} (a version of any file). */
    boolean stores(ContentHash hash) throws IOException;

    @Override
    void close() throws IOException;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 20261126L, 7_777_777L})
  void replicasConvergeAndNothingIsLost(long seed) throws Exception {
    InProcessVaultTransport server = new InProcessVaultTransport();
    run(
        seed,
        250,
        new Backend() {
          @Override
          public VaultTransport connect(String device) {
            return server;
          }

          @Override
          public Map<String, ContentHash> masterCopy() throws IOException {
            return Replica.serverFiles(server);
          }

          @Override
          public boolean stores(ContentHash hash) throws IOException {
            return server.content(Replica.VAULT, hash) != null;
          }

          @Override
          public void close() {}
        });
  }

  /**
   * Runs the property against {@code backend}: three replicas, {@code steps} seeded random steps,
   * then everyone syncs twice; every replica must equal the server's master copy and every version
   * that existed at a sync must be current, a conflict copy, stored by the server, or absorbed by a
   * clean merge.
   */
  void run(long seed, int steps, Backend backend) throws Exception {
    System.out.println("ConvergencePropertyTest seed=" + seed + " backend=" + backend);
    Random rnd = new Random(seed);
    List<Replica> rs = new ArrayList<>();
    Replica first = new Replica(tmp.resolve("r0"), "dev0", backend.connect("dev0"));
    Files.createDirectories(first.dir);
    for (int i = 0; i < 5; i++) {
      write(first, "a/n" + i + ".md", text(rnd, "seed" + i));
    }
    first.init();
    rs.add(first);
    for (int i = 1; i < 3; i++) {
      Replica r = new Replica(tmp.resolve("r" + i), "dev" + i, backend.connect("dev" + i));
      r.cloneVault();
      rs.add(r);
    }
    Set<ContentHash> mustKeep = new HashSet<>();
    Map<ContentHash, String> where = new java.util.HashMap<>();
    Set<ContentHash> absorbed = new HashSet<>();
    for (int step = 0; step < steps; step++) {
      Replica r = rs.get(rnd.nextInt(rs.size()));
      int op = rnd.nextInt(100);
      List<String> existing = new ArrayList<>(r.files().keySet());
      if (op < 30) {
        mustKeep.addAll(r.files().values());
        for (var e : r.files().entrySet()) {
          where.put(
              e.getValue(),
              "step "
                  + step
                  + " "
                  + r.device
                  + " "
                  + e.getKey()
                  + ": "
                  + r.read(e.getKey()).replace("\n", "|"));
        }
        SyncReport rep = r.sync();
        absorbed.addAll(rep.absorbedByMerge());
        continue;
      } else if (op < 45 || existing.isEmpty()) {
        String name = FOLDERS[rnd.nextInt(FOLDERS.length)] + "f" + rnd.nextInt(40);
        name += rnd.nextInt(5) == 0 ? ".bin" : ".md";
        if (!r.exists(name) && !parentIsFile(r, name)) {
          write(r, name, text(rnd, name));
        }
      } else if (op < 70) {
        String p = existing.get(rnd.nextInt(existing.size()));
        write(r, p, edit(rnd, r.read(p)));
      } else if (op < 78) {
        String p = existing.get(rnd.nextInt(existing.size()));
        Files.delete(r.dir.resolve(p));
      } else if (op < 86) {
        String p = existing.get(rnd.nextInt(existing.size()));
        String to = FOLDERS[rnd.nextInt(FOLDERS.length)] + "m" + rnd.nextInt(40) + ".md";
        if (!r.exists(to) && !parentIsFile(r, to)) {
          Path target = r.dir.resolve(to);
          Files.createDirectories(target.getParent());
          Files.move(r.dir.resolve(p), target);
        }
      } else if (op < 91) {
        String from = FOLDERS[1 + rnd.nextInt(FOLDERS.length - 1)];
        String to = "renamed" + rnd.nextInt(5) + "/";
        Path src = r.dir.resolve(from);
        Path dst = r.dir.resolve(to);
        if (Files.isDirectory(src) && !Files.exists(dst)) {
          Files.move(src, dst);
        }
      } else {
        // Same-file conflict: two replicas edit one file without syncing in between.
        Replica other = rs.get((rs.indexOf(r) + 1) % rs.size());
        String p = existing.get(rnd.nextInt(existing.size()));
        if (other.exists(p)) {
          write(r, p, edit(rnd, r.read(p)));
          write(other, p, edit(rnd, other.read(p)));
        }
      }
    }
    for (int round = 0; round < 2; round++) {
      for (Replica r : rs) {
        mustKeep.addAll(r.files().values());
        absorbed.addAll(r.sync().absorbedByMerge());
      }
    }
    Map<String, ContentHash> head = Replica.serverFiles(first.server);
    assertThat(backend.masterCopy()).as("master copy (seed %d)", seed).isEqualTo(head);
    for (Replica r : rs) {
      assertThat(r.files()).as("replica %s (seed %d)", r.device, seed).isEqualTo(head);
      try (Stream<Path> s = Files.walk(r.dir)) {
        assertThat(s.filter(p -> p.getFileName().toString().startsWith(".vstmp-")).toList())
            .isEmpty();
      }
    }
    mustKeep.removeAll(absorbed);
    for (ContentHash h : mustKeep) {
      assertThat(head.containsValue(h) || backend.stores(h))
          .as("version %s is kept (seed %d) %s", h, seed, where.get(h))
          .isTrue();
    }
  }

  private static boolean parentIsFile(Replica r, String path) {
    Path p = r.dir.resolve(path).getParent();
    while (p != null && !p.equals(r.dir)) {
      if (Files.isRegularFile(p)) {
        return true;
      }
      p = p.getParent();
    }
    return false;
  }

  /** Writes and sets a strictly increasing mtime, so no edit hides behind mtime granularity. */
  private void write(Replica r, String path, String content) throws IOException {
    Path f = r.dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
    clock += 1000;
    Files.setLastModifiedTime(f, FileTime.fromMillis(clock));
  }

  private static String text(Random rnd, String tag) {
    StringBuilder sb = new StringBuilder();
    int n = 3 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      sb.append(tag).append(" line ").append(i).append(' ').append(rnd.nextInt(1000)).append('\n');
    }
    return sb.toString();
  }

  private static String edit(Random rnd, String s) {
    List<String> lines = new ArrayList<>(TextLines.of(s));
    int at = lines.isEmpty() ? 0 : rnd.nextInt(lines.size());
    switch (rnd.nextInt(3)) {
      case 0 -> lines.add(at, "inserted " + rnd.nextInt(100000) + "\n");
      case 1 -> {
        if (!lines.isEmpty()) {
          lines.set(at, "changed " + rnd.nextInt(100000) + "\n");
        }
      }
      default -> {
        if (!lines.isEmpty()) {
          lines.remove(at);
        }
        lines.add("appended " + rnd.nextInt(100000) + "\n");
      }
    }
    return String.join("", lines);
  }

  /** Splits keeping terminators. */
  private static final class TextLines {
    static List<String> of(String s) {
      List<String> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == '\n') {
          out.add(s.substring(start, i + 1));
          start = i + 1;
        }
      }
      if (start < s.length()) {
        out.add(s.substring(start));
      }
      return out;
    }
  }
}
