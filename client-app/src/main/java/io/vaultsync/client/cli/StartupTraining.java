package io.vaultsync.client.cli;

import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run for the class-data-sharing archive of the CLI ({@code -XX:ArchiveClassesAtExit},
 * see docs/ARCHITECTURE.md "CLI start-up"): the classes the commands people run most load, so the
 * next JVMs map them from the archive instead of loading and verifying them from the jar.
 *
 * <p>It starts a server on 127.0.0.1 port 0 over a temporary folder and runs, in this JVM, {@code
 * --help}, {@code init}, an edit and a rename with {@code sync --json}, {@code clone}, {@code
 * status} and a usage error; their output is discarded. Exit code 0 only when every command
 * succeeded, so the launcher keeps the archive only from a complete run. It never touches anything
 * but its temporary folder, which it deletes.
 */
public final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    Path tmp = Files.createTempDirectory("vaultsync-training");
    int failed;
    try {
      failed = train(tmp);
    } finally {
      deleteTree(tmp);
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Runs the commands; the number that did not exit as expected. */
  private static int train(Path tmp) throws IOException {
    int failed = 0;
    try (ServerData data = ServerData.open(tmp.resolve("server"), Clock.systemUTC());
        RpcEndpoint.Running rpc =
            new GrpcRpcEndpoint()
                .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), null)) {
      String url = "http://127.0.0.1:" + rpc.port();
      String tokenA = data.tokens().create("training-a");
      String tokenB = data.tokens().create("training-b");
      Path a = tmp.resolve("a");
      Path b = tmp.resolve("b");
      for (int i = 0; i < 20; i++) {
        Path note = a.resolve("folder " + (i % 3)).resolve("note " + i + ".md");
        Files.createDirectories(note.getParent());
        Files.writeString(
            note, "# Note " + i + "\n\nSee [[note " + (i + 1) + "]].\n", StandardCharsets.UTF_8);
      }
      failed += run(0, "--help");
      failed += run(1, "sync"); // a usage error: its message and exit path
      failed += run(0, "init", a.toString(), "--server", url, "--vault", "t", "--token", tokenA);
      failed += run(0, "clone", url, "t", b.toString(), "--token", tokenB, "-q");
      Files.writeString(
          a.resolve("folder 0/note 0.md"), "- edited\n", java.nio.file.StandardOpenOption.APPEND);
      Files.move(a.resolve("folder 1/note 1.md"), a.resolve("folder 2/note 1 renamed.md"));
      failed += run(0, "sync", a.toString(), "--json");
      failed += run(0, "sync", b.toString(), "--json");
      failed += run(0, "sync", b.toString());
      failed += run(0, "status", b.toString());
    }
    return failed;
  }

  /** 1 when the command's exit code is not {@code expected}, else 0. */
  private static int run(int expected, String... args) {
    PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
    CommandLine cli =
        VaultsyncCommand.commandLine(
            new VaultsyncCommand(
                java.io.InputStream.nullInputStream(), OutputStream.nullOutputStream()),
            args);
    cli.setOut(sink);
    cli.setErr(sink);
    return cli.execute(args) == expected ? 0 : 1;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
