package io.vaultsync.benchmarks;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.RepackStats;
import io.vaultsync.server.store.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How much storage old versions take before and after a repack stores them as deltas: a generated
 * vault (GenerateVault) adopted by a real server data folder (SQLite ledger + pack store, no
 * network), then a week of seeded edits through {@code ServerVaults.commit} on a fake clock (each
 * edit one commit, as a sync of one change would be), then {@code vaultsync server repack}'s code.
 * Every version in the ledger is read back afterwards and its SHA-256 checked.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.HistoryStorageBenchmark \
 *       [--notes 1000] [--days 7] [--edits-per-day 200] [--seed 1] [--dir DIR]
 * </pre>
 */
@Command(
    name = "HistoryStorageBenchmark",
    mixinStandardHelpOptions = true,
    description = "Store bytes of a week of versions before and after a delta repack.")
public final class HistoryStorageBenchmark implements Callable<Integer> {
  @Option(names = "--notes", defaultValue = "1000")
  int notes;

  @Option(names = "--days", defaultValue = "7")
  int days;

  @Option(names = "--edits-per-day", defaultValue = "200")
  int editsPerDay;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--dir", description = "Data folder to use (default: a temporary one, deleted).")
  Path dir;

  PrintStream out = System.out;

  /** The figures of one run. */
  public record Result(
      int notes,
      long versions,
      long distinctObjects,
      long logicalBytes,
      long distinctBytes,
      long headBytes,
      long storeBefore,
      long storeAfter,
      RepackStats repack,
      long repackMillis,
      long verified,
      long readAllMicrosBefore,
      long readAllMicrosAfter) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new HistoryStorageBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return WorkDir.use(
        dir,
        "vaultsync-history-bench",
        data -> {
          report(run(data));
          return 0;
        });
  }

  /** A clock the benchmark moves by hand. */
  static final class FakeClock extends Clock {
    volatile Instant now;

    FakeClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  Result run(Path data) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    out.printf(
        Locale.ROOT, "seed %d, %d notes, %d days x %d edits%n", seed, notes, days, editsPerDay);
    Path master = ServerData.vaultsRoot(data).resolve("notes");
    GenerateVault.generate(master, notes, seed);
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    FakeClock clock = new FakeClock(start);
    try (ServerData server = ServerData.open(data, clock)) {
      VaultName vault = VaultName.of("notes");
      Map<NotePath, byte[]> content = new HashMap<>();
      Map<NotePath, ContentHash> hashes = new HashMap<>();
      List<NotePath> paths = new ArrayList<>();
      for (RemoteEntry e : server.ledger().manifest(vault).entries()) {
        if (e.path().value().endsWith(".md")) {
          content.put(e.path(), read(server, e.hash()));
          hashes.put(e.path(), e.hash());
          paths.add(e.path());
        }
      }
      List<String> names = new ArrayList<>();
      for (NotePath p : paths) {
        String n = p.value().substring(p.value().lastIndexOf('/') + 1);
        names.add(n.substring(0, n.length() - 3));
      }
      int created = 0;
      for (int day = 0; day < days; day++) {
        for (int i = 0; i < editsPerDay; i++) {
          clock.now =
              start
                  .plus(Duration.ofDays(day))
                  .plusSeconds((long) i * 86_400 / editsPerDay + r.nextInt(60));
          int kind = r.nextInt(100);
          String device = r.nextBoolean() ? "laptop" : "phone";
          if (kind < 3) { // a new note
            NotePath p = NotePath.of("Inbox/new note " + day + "-" + created++ + ".md");
            byte[] body =
                GenerateVault.note(r, names, GenerateVault.size(r))
                    .getBytes(StandardCharsets.UTF_8);
            commit(server, new Mutation.Put(p, null, delta(new byte[0], body)), device);
            content.put(p, body);
            hashes.put(p, ContentHash.digestOf(body));
            paths.add(p);
          } else if (kind < 4 && paths.size() > 10) { // a delete
            NotePath p = paths.remove(r.nextInt(paths.size()));
            commit(server, new Mutation.Delete(p, hashes.remove(p)), device);
            content.remove(p);
          } else { // an edit: mostly small appends and line changes, to a few busy notes more often
            NotePath p =
                r.nextInt(3) == 0
                    ? paths.get(r.nextInt(Math.min(paths.size(), 50)))
                    : paths.get(r.nextInt(paths.size()));
            byte[] before = content.get(p);
            byte[] after = edit(r, names, before);
            commit(server, new Mutation.Put(p, hashes.get(p), delta(before, after)), device);
            content.put(p, after);
            hashes.put(p, ContentHash.digestOf(after));
          }
        }
      }
      server.vaults().awaitMirrored("notes");

      // every version the ledger names, with its size
      Map<ContentHash, Long> objects = new HashMap<>();
      long versions = 0;
      long logical = 0;
      long after = 0;
      while (true) {
        ChangePage page = server.ledger().changesSince(vault, after, 5_000);
        for (Change c : page.changes()) {
          if (c.op() == Change.Op.PUT) {
            versions++;
            logical += c.size();
            objects.put(c.hash(), c.size());
          }
          after = c.seq();
        }
        if (!page.hasMore()) {
          break;
        }
      }
      long distinctBytes = objects.values().stream().mapToLong(Long::longValue).sum();
      Map<ContentHash, Long> heads = new HashMap<>();
      for (RemoteEntry e : server.ledger().manifest(vault).entries()) {
        heads.put(e.hash(), e.size());
      }
      long headBytes = heads.values().stream().mapToLong(Long::longValue).sum();
      long before = server.store().packBytes();
      verify(server, objects.keySet()); // warm-up: page cache and JIT, as for the timed reads
      long r0 = System.nanoTime();
      verify(server, objects.keySet());
      long readBefore = (System.nanoTime() - r0) / 1_000;
      long t0 = System.nanoTime();
      RepackStats stats = server.store().repack(server.retention().deltaPlan());
      long millis = (System.nanoTime() - t0) / 1_000_000;
      long afterBytes = server.store().packBytes();
      verify(server, objects.keySet());
      long r1 = System.nanoTime();
      long verified = verify(server, objects.keySet());
      long readAfter = (System.nanoTime() - r1) / 1_000;
      return new Result(
          notes,
          versions,
          objects.size(),
          logical,
          distinctBytes,
          headBytes,
          before,
          afterBytes,
          stats,
          millis,
          verified,
          readBefore,
          readAfter);
    }
  }

  /** Reads every object back and checks its SHA-256; returns how many. */
  private static long verify(ServerData server, Set<ContentHash> hashes) throws IOException {
    long n = 0;
    for (ContentHash h : new HashSet<>(hashes)) {
      MessageDigest md = ContentHash.newDigest();
      StoredObject o = server.store().open(h);
      long size = 0;
      try (InputStream in = o.stream()) {
        byte[] buf = new byte[64 * 1024];
        for (int k; (k = in.read(buf)) >= 0; ) {
          md.update(buf, 0, k);
          size += k;
        }
      }
      if (!ContentHash.finish(md).equals(h) || size != o.size()) {
        throw new IOException("version " + h.hex() + " did not read back identical");
      }
      n++;
    }
    return n;
  }

  private static void commit(ServerData server, Mutation m, String device) throws IOException {
    List<Outcome> o = server.vaults().commit("notes", List.of(m), device, CommitOptions.DEFAULTS);
    if (!(o.get(0) instanceof Outcome.Applied)) {
      throw new IllegalStateException("edit not applied: " + o.get(0));
    }
  }

  /** One user edit: append a line (50%), change a line (35%) or insert a paragraph (15%). */
  static byte[] edit(SplittableRandom r, List<String> names, byte[] before) {
    String text = new String(before, StandardCharsets.UTF_8);
    int kind = r.nextInt(100);
    String line = "- " + GenerateVault.sentence(r, names) + "\n";
    if (kind < 50 || text.isEmpty()) {
      return (text + line).getBytes(StandardCharsets.UTF_8);
    }
    int at = text.indexOf('\n', r.nextInt(text.length()));
    at = at < 0 ? text.length() : at + 1;
    if (kind < 85) {
      int end = text.indexOf('\n', at);
      end = end < 0 ? text.length() : end + 1;
      return (text.substring(0, at) + line + text.substring(end)).getBytes(StandardCharsets.UTF_8);
    }
    String paragraph =
        GenerateVault.sentence(r, names) + " " + GenerateVault.sentence(r, names) + "\n\n";
    return (text.substring(0, at) + paragraph + text.substring(at))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] delta(byte[] basis, byte[] target) throws IOException {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    Deltas.delta(
        Deltas.signature(
            new ByteArrayInputStream(basis), SignatureParams.forBasisLength(basis.length)),
        new ByteArrayInputStream(target),
        d);
    return d.toByteArray();
  }

  private static byte[] read(ServerData server, ContentHash h) throws IOException {
    try (InputStream in = server.store().open(h).stream()) {
      return in.readAllBytes();
    }
  }

  void report(Result r) {
    out.printf(
        Locale.ROOT,
        "versions recorded (PUTs): %,d, distinct objects: %,d%n"
            + "logical bytes of all versions: %,d (distinct %,d; head %,d)%n"
            + "store before repack: %,d bytes in %d packs%n"
            + "store after repack:  %,d bytes (%.1f%% of before; %,d of %,d objects as deltas),"
            + " repack took %d ms%n"
            + "old versions (everything but the head's distinct content): %,d bytes before,"
            + " %,d after (%.1f%%)%n"
            + "saved: %,d bytes; every one of %,d versions read back with its SHA-256 checked%n"
            + "reading (and hashing) every version once: %,d ms before the repack, %,d ms after%n",
        r.versions(),
        r.distinctObjects(),
        r.logicalBytes(),
        r.distinctBytes(),
        r.headBytes(),
        r.storeBefore(),
        r.repack().packsBefore(),
        r.storeAfter(),
        100.0 * r.storeAfter() / r.storeBefore(),
        r.repack().deltas(),
        r.repack().objects(),
        r.repackMillis(),
        r.storeBefore() - r.headBytes(),
        r.storeAfter() - r.headBytes(),
        100.0 * (r.storeAfter() - r.headBytes()) / (r.storeBefore() - r.headBytes()),
        r.storeBefore() - r.storeAfter(),
        r.verified(),
        r.readAllMicrosBefore() / 1_000,
        r.readAllMicrosAfter() / 1_000);
  }
}
