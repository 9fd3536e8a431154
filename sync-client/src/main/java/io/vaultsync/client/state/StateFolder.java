package io.vaultsync.client.state;

import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.protocol.DeleteLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The folder {@code DIR/.vaultsync/} where a vault keeps its sync state; never synced (the scanner
 * skips it). Holds {@code config} (server, vault, device; a properties file), {@code token}
 * (owner-only permissions where POSIX permissions exist; never printed) and {@code index} plus
 * {@code index.journal} (see {@link IndexStore}). Every file but the journal (appended with a
 * checksum per record) is replaced atomically.
 */
public final class StateFolder {
  private static final int MAX_SMALL_FILE = 64 * 1024;

  private final Path root;
  private final Path dir;

  private StateFolder(Path root) {
    this.root = root;
    this.dir = root.resolve(ManifestScanner.STATE_FOLDER);
  }

  /** The state folder of the vault folder {@code root}, which need not be set up yet. */
  public static StateFolder of(Path root) {
    return new StateFolder(root.toAbsolutePath().normalize());
  }

  /** The vault folder. */
  public Path root() {
    return root;
  }

  /** Whether {@code root} holds sync state already. */
  public boolean exists() {
    return Files.isRegularFile(dir.resolve("config"), LinkOption.NOFOLLOW_LINKS);
  }

  /** Creates the state folder and writes config and token; fails if it is set up already. */
  public void create(VaultConfig config, String token) throws IOException {
    if (exists()) {
      throw new FileAlreadyExistsException(
          dir.toString(), null, "is set up for sync already; expected a folder without one");
    }
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; expected a folder or nothing");
    }
    Files.createDirectories(dir);
    writeToken(token);
    writeConfig(config);
  }

  /** Reads the config. */
  public VaultConfig config() throws IOException {
    Path file = dir.resolve("config");
    if (!exists()) {
      throw new NoSuchFileException(
          root.toString(), null, "is not a synced vault folder (no .vaultsync/config)");
    }
    Properties p = new Properties();
    p.load(new StringReader(readSmall(file)));
    String server = p.getProperty("server");
    String vault = p.getProperty("vault");
    String device = p.getProperty("device");
    if (server == null || vault == null || device == null) {
      throw new IOException(file + " lacks server, vault or device; expected all three");
    }
    try {
      return new VaultConfig(new URI(server), vault, device);
    } catch (URISyntaxException e) {
      throw new IOException(file + ": server URL \"" + server + "\" is malformed", e);
    }
  }

  /**
   * The folder's mass-delete limits: the optional keys {@code maxDeletes}, {@code maxDeletePercent}
   * and {@code deletePercentFloor} of the config, each defaulting to {@link DeleteLimits#DEFAULTS}.
   *
   * @throws IOException if a key holds no valid number, naming the key and value
   */
  public DeleteLimits deleteLimits() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(readSmall(dir.resolve("config"))));
    DeleteLimits d = DeleteLimits.DEFAULTS;
    try {
      return new DeleteLimits(
          intKey(p, "maxDeletes", d.maxFiles()),
          intKey(p, "maxDeletePercent", d.maxPercent()),
          intKey(p, "deletePercentFloor", d.percentFloor()));
    } catch (IllegalArgumentException e) {
      throw new IOException(dir.resolve("config") + ": " + e.getMessage(), e);
    }
  }

  private static int intKey(Properties p, String key, int fallback) {
    String v = p.getProperty(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " = \"" + v + "\"; expected a whole number");
    }
  }

  /**
   * The fingerprint of the ignore rules the last completed sync used ({@code
   * .vaultsync/ignore-rules}), or null if none was recorded.
   */
  public String ignoreFingerprint() throws IOException {
    Path f = dir.resolve("ignore-rules");
    return Files.exists(f, LinkOption.NOFOLLOW_LINKS) ? readSmall(f).strip() : null;
  }

  /** Records the fingerprint of the ignore rules a completed sync used. */
  public void writeIgnoreFingerprint(String fingerprint) throws IOException {
    AtomicFiles.write(
        dir.resolve("ignore-rules"),
        out -> {
          out.write((fingerprint + "\n").getBytes(StandardCharsets.UTF_8));
          return null;
        });
  }

  private void writeConfig(VaultConfig config) throws IOException {
    Properties p = new Properties();
    p.setProperty("server", config.server().toString());
    p.setProperty("vault", config.vault());
    p.setProperty("device", config.device());
    AtomicFiles.write(
        dir.resolve("config"),
        out -> {
          p.store(out, "vaultsync sync settings");
          return null;
        });
  }

  /** Reads the token (trimmed). */
  public String token() throws IOException {
    return readSmall(dir.resolve("token")).strip();
  }

  /**
   * Writes the token so that it is never readable by others, not even briefly: the temporary file
   * is created with owner-only permissions (POSIX) before the token is written into it.
   */
  public void writeToken(String token) throws IOException {
    if (token == null || token.isBlank() || token.length() > 4096 || token.contains("\n")) {
      throw new IllegalArgumentException(
          "token of " + (token == null ? 0 : token.length()) + " characters; expected one line");
    }
    Path target = dir.resolve("token");
    Path temp =
        dir.resolve(
            AtomicFiles.TEMP_PREFIX
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + "-token");
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    try {
      Files.createFile(temp, attrs);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        out.write((token + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Takes the folder's sync lock ({@code .vaultsync/lock}), so two vaultsync processes never sync
   * the same folder at once; fails at once, naming the folder, if another one holds it.
   */
  public AutoCloseable lock() throws IOException {
    java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            dir.resolve("lock"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IOException(
          "another vaultsync command is syncing " + root + "; run it again when that one is done");
    }
    java.nio.channels.FileLock held = lock;
    return () -> {
      held.release();
      ch.close();
    };
  }

  /**
   * Reads the index (empty if there is none yet): its snapshot and journal ({@link IndexStore}).
   */
  public LocalIndex readIndex() throws IOException {
    return IndexStore.read(dir);
  }

  /**
   * Saves what changed in {@code index} since it was read or saved: nothing, one fsynced journal
   * record, or (now and then) a new snapshot, each crash-safe ({@link IndexStore}).
   */
  public void writeIndex(LocalIndex index) throws IOException {
    IndexStore.write(dir, index);
  }

  /** Whether {@code index}, read or saved earlier, is still what this folder holds. */
  public boolean indexIsCurrent(LocalIndex index) throws IOException {
    return IndexStore.isCurrent(dir, index);
  }

  /**
   * Temporary files older than this are leftovers of a command that was killed (a command in
   * progress writes or renames its own within seconds; a restore, which does not hold the sync lock
   * while it downloads, keeps writing to its file).
   */
  static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofMinutes(10);

  /**
   * Removes what killed commands left in this state folder: files in {@code tmp/} and {@code
   * .vstmp-*} files (index, token and config writes) not modified for {@link #LEFTOVER_AGE}. Called
   * under the sync lock, at the start of every sync; returns how many were removed.
   */
  public int removeLeftovers(java.time.Instant now) throws IOException {
    java.time.Instant before = now.minus(LEFTOVER_AGE);
    int removed = 0;
    for (Path folder : List.of(dir, dir.resolve("tmp"))) {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
        for (Path f : files) {
          boolean temp =
              !folder.equals(dir) || f.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX);
          java.nio.file.attribute.BasicFileAttributes a;
          try {
            a =
                Files.readAttributes(
                    f,
                    java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
          } catch (NoSuchFileException gone) {
            continue;
          }
          if (temp && !a.isDirectory() && a.lastModifiedTime().toInstant().isBefore(before)) {
            if (Files.deleteIfExists(f)) {
              removed++;
            }
          }
        }
      }
    }
    return removed;
  }

  /** A folder for temporary files of large transfers. */
  public Path tempDir() throws IOException {
    Path t = dir.resolve("tmp");
    Files.createDirectories(t);
    return t;
  }

  private static String readSmall(Path file) throws IOException {
    if (Files.isSymbolicLink(file)) {
      throw new IOException(file + " is a symbolic link; expected a regular file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes(MAX_SMALL_FILE + 1);
      if (data.length > MAX_SMALL_FILE) {
        throw new IOException(file + " is larger than " + MAX_SMALL_FILE + " bytes");
      }
      return new String(data, StandardCharsets.UTF_8);
    }
  }
}
