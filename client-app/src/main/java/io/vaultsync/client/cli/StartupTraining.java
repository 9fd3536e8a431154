package io.vaultsync.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run of the CLI's start-up cache (see docs/ARCHITECTURE.md "CLI start-up"): the
 * {@code ./vaultsync} launcher runs it with {@code -XX:AOTCacheOutput} on a JDK 25 or later (an
 * ahead-of-time cache: classes loaded and linked, method profiles) and with {@code
 * -XX:ArchiveClassesAtExit} before (a class-data-sharing archive), so the next JVMs start from what
 * the commands people run load.
 *
 * <p>The server runs in a child JVM ({@code server} on 127.0.0.1 port 0 over a temporary folder,
 * its tokens made by {@code server token create}): a JDK 25 cache loads every class it holds when a
 * JVM starts, so server classes in it would cost every command (measured: a 1,000-note {@code
 * status} 1.51 s of CPU with them, 1.18 s without). In this JVM it runs {@code --help}, a usage
 * error, {@code init}, {@code clone}, an edit and a rename with {@code sync --json}, {@code sync},
 * {@code status}, and {@code signature}, {@code delta} and {@code patch} of a 2 MiB file; their
 * output is discarded. Exit code 0 only when every command succeeded, so the launcher keeps a cache
 * only from a complete run. It never touches anything but its temporary folder, which it deletes,
 * and stops its server.
 */
public final class StartupTraining {
  private static final Pattern PORT = Pattern.compile(" on 127\\.0\\.0\\.1:(\\d+) \\(");

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
  private static int train(Path tmp) throws IOException, InterruptedException {
    Path data = tmp.resolve("server");
    String tokenA = createToken(data, "training-a");
    String tokenB = createToken(data, "training-b");
    Process server =
        child(
                "server",
                "--data",
                data.toString(),
                "--listen",
                "127.0.0.1:0",
                "--snapshot-every",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      server.getOutputStream().close();
      String url = "http://127.0.0.1:" + awaitPort(server);
      return clientCommands(tmp, url, tokenA, tokenB) + fileCommands(tmp);
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static int clientCommands(Path tmp, String url, String tokenA, String tokenB)
      throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    for (int i = 0; i < 20; i++) {
      Path note = a.resolve("folder " + (i % 3)).resolve("note " + i + ".md");
      Files.createDirectories(note.getParent());
      Files.writeString(
          note, "# Note " + i + "\n\nSee [[note " + (i + 1) + "]].\n", StandardCharsets.UTF_8);
    }
    int failed = 0;
    failed += run(0, "--help");
    failed += run(1, "sync"); // a usage error: its message and exit path
    failed += run(0, "init", a.toString(), "--server", url, "--vault", "t", "--token", tokenA);
    failed += run(0, "clone", url, "t", b.toString(), "--token", tokenB, "-q");
    Files.writeString(a.resolve("folder 0/note 0.md"), "- edited\n", StandardOpenOption.APPEND);
    Files.move(a.resolve("folder 1/note 1.md"), a.resolve("folder 2/note 1 renamed.md"));
    failed += run(0, "sync", a.toString(), "--json");
    failed += run(0, "sync", b.toString(), "--json");
    failed += run(0, "sync", b.toString());
    failed += run(0, "status", b.toString());
    return failed;
  }

  /** signature, delta and patch of a 2 MiB file with a few edits (the rdiff-like commands). */
  private static int fileCommands(Path tmp) throws IOException {
    Random random = new Random(16);
    byte[] old = new byte[2 << 20];
    for (int i = 0; i < old.length; i++) {
      old[i] = (byte) ('a' + random.nextInt(26));
    }
    byte[] neu = old.clone();
    for (int i = 0; i < 8; i++) {
      neu[random.nextInt(neu.length)] = '\n';
    }
    Path basis = Files.write(tmp.resolve("basis"), old);
    Path target = Files.write(tmp.resolve("target"), neu);
    String sig = tmp.resolve("sig").toString();
    String delta = tmp.resolve("delta").toString();
    return run(0, "signature", basis.toString(), sig)
        + run(0, "delta", sig, target.toString(), delta)
        + run(0, "patch", basis.toString(), delta, tmp.resolve("out").toString());
  }

  /** A child JVM of the same java and class path running the CLI with {@code args}. */
  private static ProcessBuilder child(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(VaultsyncCommand.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /** {@code server token create}'s token (its last line). */
  private static String createToken(Path data, String name)
      throws IOException, InterruptedException {
    Process p =
        child("server", "token", "create", "--data", data.toString(), "--name", name)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IOException("token create failed (exit " + p.exitValue() + ")");
    }
    return out.substring(out.lastIndexOf('\n') + 1).strip();
  }

  /** The port of the server's "serving ... on 127.0.0.1:PORT (" line; its output is drained. */
  private static int awaitPort(Process server) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      Matcher m = PORT.matcher(line);
      if (m.find()) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    in.transferTo(java.io.Writer.nullWriter());
                  } catch (IOException e) {
                    // the server stopped
                  }
                },
                "training-server-output");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IOException("the training server ended before serving");
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
