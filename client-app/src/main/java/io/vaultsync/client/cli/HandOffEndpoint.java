package io.vaultsync.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a running {@code vaultsync watch} takes handed-off syncs: {@code .vaultsync/watch.endpoint}
 * in its folder, naming a port on 127.0.0.1 and the secret a client must send first
 * (docs/FORMAT.md, "Local hand-off"). The file is readable by its owner only (the secret is what
 * keeps other local users out), written under a temporary name and renamed, so a reader never sees
 * half of it, and removed when the watch ends. One left by a watch that died is stale: nothing
 * answers on its port, so a client falls back, and the next watch replaces it.
 *
 * @param port the listening port on 127.0.0.1
 * @param secret 64 lowercase hex digits (32 random bytes)
 */
record HandOffEndpoint(int port, String secret) {
  /** The file's first line: its format and version. */
  static final String MAGIC = "vaultsync-watch-endpoint 1";

  /** The file's name inside the state folder. */
  static final String FILE_NAME = "watch.endpoint";

  HandOffEndpoint {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + "; expected 1 to 65535");
    }
    if (secret == null || !secret.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("hand-off secret must be 64 lowercase hex digits");
    }
  }

  /** An endpoint on {@code port} with a fresh random secret. */
  static HandOffEndpoint fresh(int port) {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new HandOffEndpoint(port, HexFormat.of().formatHex(b));
  }

  /** The endpoint file of vault folder {@code folder}. */
  static Path file(Path folder) {
    return folder.resolve(".vaultsync").resolve(FILE_NAME);
  }

  /** The file's text. */
  String text() {
    return MAGIC
        + "\nport "
        + port
        + "\nsecret "
        + secret
        + "\npid "
        + ProcessHandle.current().pid()
        + "\n";
  }

  /**
   * Writes this endpoint to {@code folder}'s endpoint file, replacing any (a stale one left by a
   * watch that died): a temporary file created with mode 0600 (where the file system has POSIX
   * permissions), then an atomic rename.
   */
  void write(Path folder) throws IOException {
    Path target = file(folder);
    Path temp = target.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      try {
        Files.createFile(
            temp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException noPosix) {
        Files.createFile(temp);
      }
      Files.writeString(temp, text(), StandardCharsets.US_ASCII);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Removes {@code folder}'s endpoint file if it is still this endpoint's (another watch started on
   * the folder since may have replaced it). Best effort: a file left behind is stale and harmless.
   */
  void remove(Path folder) {
    Path f = file(folder);
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
      if (lines.contains("secret " + secret)) {
        Files.deleteIfExists(f);
      }
    } catch (IOException | RuntimeException e) {
      // gone already, or unreadable: nothing of ours to remove
    }
  }
}
