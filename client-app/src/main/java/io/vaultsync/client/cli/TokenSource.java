package io.vaultsync.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command that sets up or lists vaults gets the device token: {@code --token-file FILE},
 * {@code --token-stdin}, the environment variable {@value #ENV}, or {@code --token T} (which other
 * users of the machine can read in {@code ps}, and which lands in the shell's history). Exactly one
 * source; the token is never printed.
 */
final class TokenSource {
  /** The environment variable a token may come from. */
  static final String ENV = "VAULTSYNC_TOKEN";

  /** A token is one line of at most this many bytes (the server's are 43 characters). */
  static final int MAX_BYTES = 4096;

  @Option(
      names = "--token",
      paramLabel = "T",
      description =
          "The device token. Visible to other users in ps and kept in the shell's history:"
              + " prefer --token-file, --token-stdin or the environment variable "
              + ENV
              + ".")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the device token from FILE (its first line).")
  Path file;

  @Option(
      names = "--token-stdin",
      description = "Read the device token from standard input (its first line).")
  boolean stdin;

  /** The token from the one source given, or from {@value #ENV} when none is. */
  String read(VaultsyncCommand root) throws IOException {
    int given = (token != null ? 1 : 0) + (file != null ? 1 : 0) + (stdin ? 1 : 0);
    if (given > 1) {
      throw new IllegalArgumentException(
          "give the token one way: --token, --token-file or --token-stdin");
    }
    if (token != null) {
      return checked(token, "--token");
    }
    if (file != null) {
      return fromFile(file);
    }
    if (stdin) {
      return checked(firstLine(root.stdin()), "standard input");
    }
    String env = root.env(ENV);
    if (env != null) {
      return checked(env, "the environment variable " + ENV);
    }
    throw new IllegalArgumentException(
        "no device token: give --token-file FILE or --token-stdin, or set "
            + ENV
            + " (create a token on the server with `vaultsync server token create --data DIR"
            + " --name DEVICE`)");
  }

  private static String fromFile(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.exists(file)) {
        throw new NoSuchFileException(file.toString(), null, "no such token file");
      }
      throw new IllegalArgumentException(
          "--token-file " + file + " is not a regular file; expected a file holding the token");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return checked(firstLine(in), "--token-file " + file);
    }
  }

  /** The first line of {@code in}, read without taking more than {@link #MAX_BYTES}. */
  private static String firstLine(InputStream in) throws IOException {
    byte[] data = in.readNBytes(MAX_BYTES + 1);
    String text = new String(data, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    if (end < 0 && data.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "the token is longer than " + MAX_BYTES + " bytes; expected one line");
    }
    return end < 0 ? text : text.substring(0, end);
  }

  private static String checked(String raw, String where) {
    String t = raw.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          "the token from " + where + " is empty; expected the line `token create` printed");
    }
    if (t.length() > MAX_BYTES || t.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "the token from "
              + where
              + " is not one word of printable characters; expected the line `token create`"
              + " printed");
    }
    return t;
  }
}
