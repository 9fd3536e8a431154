package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.grpc.GrpcConnector;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder rename over the real server (gRPC) costs one message up and one change down whatever the
 * folder holds (issue 16), by the CLI's own byte counters; a client that does not read folder moves
 * (as before issue 16) converges with one that does.
 */
class FolderRenameBytesTest {
  @TempDir Path tmp;

  private static final Pattern BYTES =
      Pattern.compile("\"bytesSent\":(\\d+),\"bytesReceived\":(\\d+)");

  /** Bytes (sent + received) of renaming a folder of {@code notes} notes: A's sync plus B's. */
  private long renameBytes(int notes) throws IOException {
    Path root = tmp.resolve("n" + notes);
    try (RelayedServer server = new RelayedServer(root.resolve("server"))) {
      Path a = root.resolve("a");
      Path b = root.resolve("b");
      for (int i = 0; i < notes; i++) {
        write(a.resolve("Projects/Area " + (i % 7) + "/note " + i + ".md"), "note " + i + "\n");
      }
      write(a.resolve("Inbox.md"), "stays\n");
      assertThat(server.clean(server.initArgs(a, "--device", "A")).exitCode()).isZero();
      assertThat(server.clean(server.cloneArgs(b, "--device", "B")).exitCode()).isZero();

      Files.move(a.resolve("Projects"), a.resolve("Projects renamed"));
      long up = bytes(server.clean("sync", a.toString(), "--json"));
      long down = bytes(server.clean("sync", b.toString(), "--json"));

      assertThat(RelayedServer.folder(b)).isEqualTo(RelayedServer.folder(a));
      assertThat(server.head()).isEqualTo(RelayedServer.folder(a));
      assertThat(b.resolve("Projects")).doesNotExist();
      return up + down;
    }
  }

  @Test
  @Timeout(300)
  void aFolderRenameCostsTheSameBytesForTenNotesAndForAThousand() throws IOException {
    long ten = renameBytes(10);
    long thousand = renameBytes(1000);
    System.out.println("folder rename bytes: 10 notes " + ten + ", 1000 notes " + thousand);

    // Per-file moves cost ~60 bytes a note (a path, a hash and a seq each way): 60 KB here.
    assertThat(thousand)
        .as("bytes of a folder rename of 1,000 notes against 10 notes (%d)", ten)
        .isLessThan(ten * 2);
  }

  @Test
  @Timeout(120)
  void aClientThatDoesNotReadFolderMovesConvergesWithOneThatDoes() throws IOException {
    try (RelayedServer server = new RelayedServer(tmp.resolve("server"))) {
      Path a = tmp.resolve("a");
      Path b = tmp.resolve("b");
      for (int i = 0; i < 20; i++) {
        write(a.resolve("Old/n" + i + ".md"), "note " + i + "\n");
        write(a.resolve("Other/o" + i + ".md"), "other " + i + "\n");
      }
      assertThat(server.clean(server.initArgs(a, "--device", "A")).exitCode()).isZero();
      assertThat(old(server, server.cloneArgs(b, "--device", "B")).exitCode()).isZero();

      Files.move(a.resolve("Old"), a.resolve("New"));
      assertThat(server.clean("sync", a.toString()).exitCode()).isZero();
      assertThat(old(server, "sync", b.toString()).exitCode()).isZero();
      assertThat(RelayedServer.folder(b)).isEqualTo(RelayedServer.folder(a));

      Files.createDirectories(b.resolve("Moved"));
      Files.move(b.resolve("Other"), b.resolve("Moved/Other"));
      assertThat(old(server, "sync", b.toString()).exitCode()).isZero();
      assertThat(server.clean("sync", a.toString()).exitCode()).isZero();
      assertThat(RelayedServer.folder(a)).isEqualTo(RelayedServer.folder(b));
      assertThat(server.head()).isEqualTo(RelayedServer.folder(a));
      assertThat(a.resolve("Moved/Other/o3.md")).hasContent("other 3\n");
    }
  }

  /** A CLI run straight to the server as a client from before folder moves: per-file moves. */
  private static Cli.Run old(RelayedServer server, String... args) {
    GrpcConnector direct = new GrpcConnector();
    RemoteConnector perFile =
        (uri, token) -> perFileOnly(direct.connect(java.net.URI.create(server.directUrl()), token));
    return Cli.run(perFile, Clock.systemDefaultZone(), args);
  }

  /** {@code t} neither asking for folder moves nor sending them. */
  private static VaultTransport perFileOnly(VaultTransport t) {
    return (VaultTransport)
        Proxy.newProxyInstance(
            VaultTransport.class.getClassLoader(),
            new Class<?>[] {VaultTransport.class},
            (proxy, method, args) -> {
              try {
                if (method.getName().equals("takesFolderMoves")) {
                  return false;
                }
                if (method.getName().equals("changesSince") && args.length == 4) {
                  return t.changesSince((String) args[0], (long) args[1], (int) args[2]);
                }
                if (method.getName().equals("subscribe") && args.length == 4) {
                  return t.subscribe((String) args[0], (long) args[1], (ChangeListener) args[2]);
                }
                return method.invoke(t, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static long bytes(Cli.Run run) {
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Matcher m = BYTES.matcher(run.text());
    assertThat(m.find()).as(run.text()).isTrue();
    return Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
