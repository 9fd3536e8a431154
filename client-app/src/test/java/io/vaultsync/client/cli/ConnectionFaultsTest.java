package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.LoopbackRelay;
import io.vaultsync.client.remote.LoopbackRelay.Cut;
import io.vaultsync.client.remote.LoopbackRelay.Direction;
import io.vaultsync.client.remote.LoopbackRelay.Fault;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clones and syncs whose connection breaks (issue 12, item 13): the real server behind a {@link
 * LoopbackRelay} that closes, resets or stalls the connection after N bytes, for many N spread over
 * the transfer (seeded; the seed and every outcome are printed). Each broken command ends within
 * its deadline, either finished (its retries got through) or with exit code 2 and one line that
 * says what happened: a lost connection or a server that stopped answering, never "cannot reach the
 * server" once the server had sent a byte, and no stack trace. A rerun over a sound connection
 * converges: every replica's (path, hash) list equals the server's head, and every file written on
 * either side is there with its last content.
 */
@Timeout(600)
class ConnectionFaultsTest {
  private static final long SEED = Long.getLong("vaultsync.faults.seed", 20261207L);
  private static final int OFFSETS = 30;

  /** Longest a broken command may run: the retry budget plus one stalled try, with slack. */
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(40);

  @TempDir Path tmp;
  private RelayedServer server;
  private Random random;

  /** What the head must hold: every file written on either side, with its last content. */
  private final Map<String, ContentHash> expected = new TreeMap<>();

  private long overheadToClient;
  private long overheadToServer;

  @BeforeEach
  void start() throws IOException {
    System.out.println("ConnectionFaultsTest seed " + SEED + " (-Dvaultsync.faults.seed=N)");
    random = new Random(SEED);
    server = new RelayedServer(tmp.resolve("server"));
    Path a = Files.createDirectories(tmp.resolve("a"));
    for (int i = 0; i < 150; i++) {
      write(
          a,
          "Notes/" + (i % 7) + "/note-" + i + ".md",
          Cli.text(random, 500 + random.nextInt(5500)));
    }
    byte[] scan = new byte[4_500_000];
    random.nextBytes(scan);
    write(a, "Attachments/scan.pdf", scan);
    Cli.Run init = server.clean(server.initArgs(a, "--device", "a"));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(server.head()).isEqualTo(expected);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /** Writes a file, expecting it on the server; returns its length. */
  private long write(Path dir, String path, byte[] content) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.write(f, content);
    expected.put(path, ContentHash.digestOf(content));
    return content.length;
  }

  private void delete(Path dir, String path) throws IOException {
    Files.delete(dir.resolve(path));
    expected.remove(path);
  }

  /** The i-th broken connection: spread uniformly, then on a log scale, over {@code total}. */
  private Cut cutFor(int i, long toClient, long toServer) {
    Direction d = i % 3 == 2 ? Direction.TO_SERVER : Direction.TO_CLIENT;
    long total = Math.max(1, d == Direction.TO_CLIENT ? toClient : toServer);
    long at =
        i % 2 == 0
            ? (long) (random.nextDouble() * total)
            : (long) Math.exp(random.nextDouble() * Math.log(total));
    Fault f = i % 10 == 9 ? Fault.STALL : i % 2 == 0 ? Fault.RESET : Fault.CLOSE;
    return new Cut(d, at, f);
  }

  /** Every new connection broken, or only the first (the retries then go through). */
  private static int connectionsFor(int i) {
    return i % 4 == 3 ? 1 : Integer.MAX_VALUE;
  }

  /** One broken run: what it printed, how long it took, and how many bytes reached the client. */
  private record Outcome(Cli.Run run, Duration took, long bytesToClient) {}

  private Outcome broken(Cut cut, int connections, String... args) {
    server.relay.cutNext(cut, connections);
    long before = server.relay.bytesToClient();
    long start = System.nanoTime();
    Cli.Run run = server.cut(args);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    server.relay.cutNext(null, 0);
    return new Outcome(run, took, server.relay.bytesToClient() - before);
  }

  /** What every broken run must satisfy, whether it finished or failed. */
  private static void assertEndedClearly(String command, Cut cut, Outcome o) {
    String what = command + " " + cut + ": " + o.run().stderr();
    assertThat(o.took()).as(what).isLessThan(COMMAND_DEADLINE);
    if (o.run().exitCode() == 0) {
      return;
    }
    assertThat(o.run().exitCode()).as(what).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(o.run().stderrLines()).as(what).hasSize(1);
    String line = o.run().stderrLines().get(0);
    assertThat(line)
        .as(what)
        .startsWith("vaultsync: " + command + ": ")
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("internal error");
    if (o.bytesToClient() > 0) {
      assertThat(line).as(what).doesNotContain("cannot reach");
    }
    if (cut.fault() == Fault.STALL) {
      // a stream stalls for the stall timeout, a unary call until its deadline
      assertThat(line).as(what).contains("stopped answering").containsPattern("nothing for [12] s");
    } else if (o.bytesToClient() > 0) {
      assertThat(line)
          .as(what)
          .containsAnyOf("was lost", "stopped answering")
          .contains("run the command again");
    }
  }

  private static String summary(Outcome o) {
    return o.run().exitCode() == 0
        ? "finished"
        : "exit " + o.run().exitCode() + ": " + o.run().stderr().strip();
  }

  @Test
  void aCloneCutAtManyOffsetsEndsClearlyAndARerunConverges() throws IOException {
    Path whole = tmp.resolve("whole");
    long down0 = server.relay.bytesToClient();
    long up0 = server.relay.bytesToServer();
    Cli.Run clone = server.sound(server.cloneArgs(whole));
    assertThat(clone.exitCode()).as(clone.stderr()).isZero();
    long toClient = server.relay.bytesToClient() - down0;
    long toServer = server.relay.bytesToServer() - up0;
    assertThat(RelayedServer.folder(whole)).isEqualTo(expected);
    System.out.printf(
        "a whole clone: %d bytes to the client, %d to the server%n", toClient, toServer);

    List<String> failed = new ArrayList<>();
    for (int i = 0; i < OFFSETS; i++) {
      Cut cut = cutFor(i, toClient, toServer);
      Path dir = tmp.resolve("clone-" + i);
      Outcome o = broken(cut, connectionsFor(i), server.cloneArgs(dir));
      System.out.printf(
          "clone %2d %s x%s: %d ms, %s%n",
          i, cut, connectionsFor(i) == 1 ? "1" : "all", o.took().toMillis(), summary(o));
      assertEndedClearly("clone", cut, o);
      if (o.run().exitCode() != 0) {
        failed.add(cut.toString());
        // a rerun of clone into the folder it started is item 12's (the lead's): sync it instead
        Cli.Run rerun =
            Files.isDirectory(dir.resolve(".vaultsync"))
                ? server.clean("sync", dir.toString())
                : server.clean(server.cloneArgs(dir));
        assertThat(rerun.exitCode()).as(cut + ": " + rerun.stderr()).isZero();
      }
      assertThat(RelayedServer.folder(dir)).as(cut.toString()).isEqualTo(expected);
    }
    assertThat(server.head()).isEqualTo(expected);
    assertThat(failed).as("broken clones that failed").isNotEmpty();
  }

  @Test
  void aSyncCutAtManyOffsetsEndsClearlyAndARerunConvergesWithNothingLost() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Cli.Run clone = server.clean(server.cloneArgs(b, "--device", "b"));
    assertThat(clone.exitCode()).as(clone.stderr()).isZero();

    List<String> failed = new ArrayList<>();
    for (int i = -1; i < OFFSETS; i++) {
      long wroteA = 0;
      long wroteB = 0;
      // a changes its notes and syncs soundly; b changes its own and syncs through the relay
      wroteA += editNotes(a, 0);
      wroteA += write(a, "From-a/" + i + ".md", Cli.text(random, 1000));
      if (i % 5 == 4) {
        delete(a, "From-a/" + (i - 2) + ".md");
      }
      wroteB += editNotes(b, 1);
      wroteB += write(b, "From-b/" + i + ".md", Cli.text(random, 2000));
      if (i % 6 == 2) { // rounds whose cut is on the way to the server
        byte[] big = new byte[4_400_000]; // over the inline limit: a streamed push
        random.nextBytes(big);
        wroteB += write(b, "From-b/big-" + i + ".bin", big);
      }
      Cli.Run syncA = server.clean("sync", a.toString());
      assertThat(syncA.exitCode()).as(syncA.stderr()).isZero();

      if (i < 0) { // a sound round first, to measure a sync's own traffic
        long down0 = server.relay.bytesToClient();
        long up0 = server.relay.bytesToServer();
        Cli.Run sync = server.sound("sync", b.toString());
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        overheadToClient = server.relay.bytesToClient() - down0 - wroteA;
        overheadToServer = server.relay.bytesToServer() - up0 - wroteB;
        System.out.printf(
            "a whole sync: %d bytes to the client (%d of content), %d to the server (%d)%n",
            overheadToClient + wroteA, wroteA, overheadToServer + wroteB, wroteB);
      } else {
        // this round's traffic, about: what the other side wrote plus the calls around it
        Cut cut =
            cutFor(
                i,
                Math.max(1000, overheadToClient) + wroteA,
                Math.max(1000, overheadToServer) + wroteB);
        Outcome o = broken(cut, connectionsFor(i), "sync", b.toString());
        System.out.printf(
            "sync %2d %s x%s: %d ms, %s%n",
            i, cut, connectionsFor(i) == 1 ? "1" : "all", o.took().toMillis(), summary(o));
        assertEndedClearly("sync", cut, o);
        if (o.run().exitCode() != 0) {
          failed.add(cut.toString());
        }
        Cli.Run rerun = server.clean("sync", b.toString());
        assertThat(rerun.exitCode()).as(cut + ": " + rerun.stderr()).isZero();
      }
      Cli.Run syncAgain = server.clean("sync", a.toString());
      assertThat(syncAgain.exitCode()).as(syncAgain.stderr()).isZero();
      assertThat(server.head()).as("round " + i).isEqualTo(expected);
      assertThat(RelayedServer.folder(a)).as("round " + i).isEqualTo(expected);
      assertThat(RelayedServer.folder(b)).as("round " + i).isEqualTo(expected);
    }
    assertThat(failed).as("broken syncs that failed").isNotEmpty();
  }

  /**
   * Writes up to four random notes of {@code dir} whose number is even ({@code parity} 0) or odd
   * (1), so two replicas never edit the same note; returns the bytes written.
   */
  private long editNotes(Path dir, int parity) throws IOException {
    long wrote = 0;
    for (int k = 0; k < 4; k++) {
      int n = random.nextInt(150);
      if (n % 2 == parity) {
        wrote +=
            write(
                dir,
                "Notes/" + (n % 7) + "/note-" + n + ".md",
                Cli.text(random, 300 + random.nextInt(4000)));
      }
    }
    return wrote;
  }

  @Test
  void aRelayThatStopsForwardingEndsTheCloneWithinTwoStallTimeouts() throws IOException {
    Path dir = tmp.resolve("stalled");
    Outcome o =
        broken(
            new Cut(Direction.TO_CLIENT, 2048, Fault.STALL),
            Integer.MAX_VALUE,
            server.cloneArgs(dir));

    assertThat(o.run().exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    // one stalled try, one more on a new connection, then the error: 2 x 1 s and the waits
    assertThat(o.took()).isLessThan(Duration.ofSeconds(15));
    assertThat(o.run().stderr())
        .startsWith(
            "vaultsync: clone: the server "
                + server.relay.url()
                + " stopped answering during the clone")
        .contains("nothing for 1 s while reading the file list of vault notes")
        .contains("check the server and the network, then run the command again");
    assertThat(server.relay.connections()).isEqualTo(2);
  }

  @Test
  void aServerThatWasNeverReachedIsStillCannotReach() throws IOException {
    int port = server.relay.port();
    server.relay.close();
    Cli.Run run =
        server.cut(
            "clone",
            "http://127.0.0.1:" + port,
            RelayedServer.VAULT,
            tmp.resolve("x").toString(),
            "--token",
            server.token);

    assertThat(run.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(run.stderr())
        .startsWith("vaultsync: clone: cannot reach the server http://127.0.0.1:" + port)
        .contains("Connection refused");
  }
}
