package io.vaultsync.client.cli;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Runs {@code vaultsync} in-process with its own stdin, stdout and stderr; test data makers. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Run(int exitCode, byte[] stdout, String text, String stderr) {
    /** The lines written to stderr. */
    List<String> stderrLines() {
      return stderr.lines().toList();
    }
  }

  static Run run(String... args) {
    return run(new byte[0], args);
  }

  static Run run(byte[] stdin, String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    return run(new VaultsyncCommand(new ByteArrayInputStream(stdin), stdout), stdout, args);
  }

  /** A run whose sync commands reach the server through {@code connector}, on {@code clock}. */
  static Run run(
      io.vaultsync.client.remote.RemoteConnector connector, java.time.Clock clock, String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    return run(
        new VaultsyncCommand(new ByteArrayInputStream(new byte[0]), stdout, connector, clock),
        stdout,
        args);
  }

  /**
   * A run whose sync commands reach the in-process {@code server} (each connection a {@link
   * CountingTransport}), on {@code clock}.
   */
  static Run runOn(InProcessVaultTransport server, java.time.Clock clock, String... args) {
    return run(connector(server), clock, args);
  }

  /** A connector whose every connection reaches {@code server}, counted. */
  static RemoteConnector connector(InProcessVaultTransport server) {
    return (uri, token) -> new CountingTransport(server);
  }

  /** A run with its own standard input and environment variables, through {@code connector}. */
  static Run run(
      io.vaultsync.client.remote.RemoteConnector connector,
      java.util.Map<String, String> env,
      byte[] stdin,
      String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    return run(
        new VaultsyncCommand(
                new ByteArrayInputStream(stdin),
                stdout,
                connector,
                java.time.Clock.systemDefaultZone())
            .withEnv(env),
        stdout,
        args);
  }

  private static Run run(VaultsyncCommand command, ByteArrayOutputStream stdout, String... args) {
    StringWriter text = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VaultsyncCommand.commandLine(command, args);
    cli.setOut(new PrintWriter(text, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, stdout.toByteArray(), text.toString(), err.toString());
  }

  /** The server URL the in-process tests name (their connector does not look at it). */
  static final String SERVER = "https://h:1";

  /** {@code init DIR --server https://h:1 --vault v}, then {@code more} (the token, the device). */
  static String[] init(Path dir, String... more) {
    return args(more, "init", dir.toString(), "--server", SERVER, "--vault", "v");
  }

  /** {@code clone https://h:1 v DIR}, then {@code more} (the token, the device). */
  static String[] clone(Path dir, String... more) {
    return args(more, "clone", SERVER, "v", dir.toString());
  }

  /** {@code head} followed by {@code more}: a command line. */
  static String[] args(String[] more, String... head) {
    String[] all = java.util.Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, all, head.length, more.length);
    return all;
  }

  /** Names of the vaultsync temporary files left in {@code dir}. */
  static List<String> tempFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(io.vaultsync.core.io.AtomicFiles.TEMP_PREFIX))
          .toList();
    }
  }

  private static final String[] WORDS = {
    "vault",
    "note",
    "sync",
    "the",
    "a",
    "delta",
    "block",
    "# Heading",
    "- [ ] task",
    "[[link]]",
    "and",
    "of",
    "markdown",
    "**bold**",
    "`code`",
    "to",
    "is",
    "in"
  };

  /** Markdown-like text of about {@code length} bytes. */
  static byte[] text(Random r, int length) {
    StringBuilder sb = new StringBuilder(length + 16);
    while (sb.length() < length) {
      sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(12) == 0 ? '\n' : ' ');
    }
    return sb.substring(0, length).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code data} after a few random inserts, deletes and replacements. */
  static byte[] mutate(Random r, byte[] data, int edits) {
    byte[] d = data;
    for (int i = 0; i < edits; i++) {
      int at = d.length == 0 ? 0 : r.nextInt(d.length);
      int cut = Math.min(d.length - at, r.nextInt(3) == 0 ? 0 : r.nextInt(200));
      byte[] insert = r.nextInt(3) == 1 ? new byte[0] : text(r, r.nextInt(300));
      byte[] out = new byte[d.length - cut + insert.length];
      System.arraycopy(d, 0, out, 0, at);
      System.arraycopy(insert, 0, out, at, insert.length);
      System.arraycopy(d, at + cut, out, at + insert.length, d.length - at - cut);
      d = out;
    }
    return d;
  }
}
