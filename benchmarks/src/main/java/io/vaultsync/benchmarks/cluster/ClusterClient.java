package io.vaultsync.benchmarks.cluster;

import io.vaultsync.benchmarks.crash.CrashLab.Done;
import io.vaultsync.benchmarks.crash.WriterFolder;
import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One of the cluster check's devices: a vault folder, changed by this class between syncs (new
 * notes, edits, a move, a delete, sometimes a large file, and an edit of the shared note that other
 * devices edit too, which makes conflicts), synced by {@code vaultsync sync --json} or kept in sync
 * by a running {@code vaultsync watch}, through haproxy. What the device was told is committed is
 * recorded as acknowledged: after every sync, each version its index records as synced.
 */
final class ClusterClient {
  /** The note every device edits now and then. */
  static final String SHARED = "Shared/plan.md";

  private static final int LARGE_BYTES = 1_500_000;

  final String device;
  final Path dir;
  final boolean watcher;
  private final String token;
  private final ClusterLab lab;
  private final Random random;
  private final WriterFolder content;
  private final List<String> own = new ArrayList<>();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private CliProcess watch;
  private int next;
  private int commands;

  ClusterClient(ClusterLab lab, String device, String token, boolean watcher, long seed) {
    this.lab = lab;
    this.device = device;
    this.token = token;
    this.watcher = watcher;
    this.dir = lab.root().resolve(device);
    this.random = new Random(seed);
    this.content = new WriterFolder(dir, random, 0, false);
  }

  /** The versions (path NUL hash) this device was told are committed. */
  Set<String> acked() {
    return acked;
  }

  // ---- setup ----

  /** The first vault: {@code notes} notes, a large file and the shared note; then init. */
  Done init(String vault, int notes) throws IOException, InterruptedException {
    content.firstVault(notes);
    content.writeNote(SHARED);
    return lab.run(
        device,
        ++commands,
        "init",
        dir.toString(),
        "--server",
        lab.clientUrl(),
        "--vault",
        vault,
        "--token",
        token,
        "--device",
        device);
  }

  Done cloneVault(String vault) throws IOException, InterruptedException {
    return lab.run(
        device,
        ++commands,
        "clone",
        lab.clientUrl(),
        vault,
        dir.toString(),
        "--token",
        token,
        "--device",
        device);
  }

  // ---- changes ----

  /**
   * One round of this device's changes: new notes in its own folder, edits of two of them, a move
   * and a delete, on even rounds an edit of the shared note (a conflict with the other devices'),
   * and on some rounds a 1.5 MB file (an upload long enough for a kill to land in it).
   */
  void change(int round, boolean large) throws IOException {
    for (int i = 0; i < 4; i++) {
      String p = device + "/r" + round + "-" + next++ + ".md";
      content.writeNote(p);
      own.add(p);
    }
    for (int i = 0; i < 2 && own.size() > 4; i++) {
      String p = own.get(random.nextInt(own.size() - 4));
      content.write(p, content.note(300 + random.nextInt(4000)));
    }
    if (own.size() > 6) {
      String from = own.remove(random.nextInt(own.size() - 4));
      String to = device + "/moved/" + Path.of(from).getFileName();
      Path target = dir.resolve(to);
      Files.createDirectories(target.getParent());
      Files.move(dir.resolve(from), target, StandardCopyOption.ATOMIC_MOVE);
      own.add(to);
      String gone = own.remove(random.nextInt(own.size() - 4));
      Files.deleteIfExists(dir.resolve(gone));
    }
    if (round % 2 == 0) {
      content.write(SHARED, content.note(800 + random.nextInt(2000)));
    }
    if (large) {
      byte[] big = new byte[LARGE_BYTES];
      random.nextBytes(big);
      content.write(device + "/big-r" + round + ".bin", big);
    }
  }

  // ---- syncing ----

  /** Starts {@code vaultsync sync DIR --json}. */
  CliProcess startSync() throws IOException {
    return lab.start(device, ++commands, "sync", dir.toString(), "--json");
  }

  /**
   * Syncs until a run exits 0 (at most {@code attempts} runs, 1 s apart: a run cut by a kill exits
   * 2 and is run again, 1.5 s later); records what it acknowledged after each run. The last run.
   */
  Done syncUntilDone(CliProcess first, int attempts) throws IOException, InterruptedException {
    CliProcess p = first != null ? first : startSync();
    Done d = null;
    for (int i = 0; i < attempts; i++) {
      if (i > 0) {
        Thread.sleep(1500);
        p = startSync();
      }
      d = lab.finish(p);
      recordAcks();
      if (d.exitCode() == 0) {
        return d;
      }
    }
    return d;
  }

  /** Every version the index records as synced is acknowledged (the server said it committed). */
  void recordAcks() {
    try {
      LocalIndex index = StateFolder.of(dir).readIndex();
      for (IndexEntry e : index.entries().values()) {
        acked.add(e.path().value() + "\u0000" + e.hash().hex());
      }
    } catch (IOException | RuntimeException e) {
      // no index yet (a clone killed early): nothing acknowledged
    }
  }

  // ---- watching ----

  void startWatch() throws IOException {
    watch = lab.start(device, ++commands, "watch", dir.toString(), "--json");
  }

  boolean watchAlive() {
    return watch != null && watch.isAlive();
  }

  /** Ctrl-C of the watch (it stops after the sync in progress); its lines. */
  List<String> stopWatch() throws IOException {
    if (watch == null) {
      return List.of();
    }
    watch.close();
    List<String> lines = watch.lines();
    watch = null;
    recordAcks();
    return lines;
  }

  static Duration deadline() {
    return Duration.ofMinutes(3);
  }
}
