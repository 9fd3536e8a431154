package io.vaultsync.client.sync;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

/** Sets a folder up for sync: {@code init} (upload a folder as a new vault) and {@code clone}. */
public final class VaultSetup {
  private VaultSetup() {}

  /** Creates vault {@code config.vault()} on the server and uploads {@code folder} into it. */
  public static SyncReport init(
      Path folder, VaultConfig config, String token, VaultTransport transport, Clock clock)
      throws IOException {
    return init(folder, config, token, transport, clock, SyncProgress.NONE);
  }

  /** {@link #init} telling {@code progress} how far the upload has got. */
  public static SyncReport init(
      Path folder,
      VaultConfig config,
      String token,
      VaultTransport transport,
      Clock clock,
      SyncProgress progress)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new NotDirectoryException(folder.toString());
    }
    StateFolder state = StateFolder.of(folder);
    if (state.exists()) {
      VaultConfig there = state.config();
      throw new IllegalArgumentException(
          folder
              + " is set up for sync already (vault \""
              + there.vault()
              + "\" on "
              + there.server()
              + "): run `vaultsync sync "
              + folder
              + "` to sync it");
    }
    try {
      transport.createVault(config.vault());
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      // An init killed after it created the vault but before it wrote its config: the vault is
      // there and still empty, so this init carries on. Any other vault of that name is not ours.
      if (!Files.isDirectory(state.root().resolve(ManifestScanner.STATE_FOLDER))
          || !transport.manifest(config.vault()).entries().isEmpty()) {
        throw e;
      }
    }
    state.create(config, token);
    return new Syncer(transport, clock, progress).sync(folder);
  }

  /**
   * Downloads vault {@code config.vault()} into {@code folder}, which must be empty or absent, or
   * hold an interrupted clone of the same vault (which is then finished: a clone is a first sync).
   */
  public static SyncReport cloneInto(
      Path folder, VaultConfig config, String token, VaultTransport transport, Clock clock)
      throws IOException {
    return cloneInto(folder, config, token, transport, clock, SyncProgress.NONE);
  }

  /** {@link #cloneInto} telling {@code progress} how far the download has got. */
  public static SyncReport cloneInto(
      Path folder,
      VaultConfig config,
      String token,
      VaultTransport transport,
      Clock clock,
      SyncProgress progress)
      throws IOException {
    if (isCloneOf(folder, config)) {
      StateFolder.of(folder).writeToken(token); // the one given now is the newest
      return new Syncer(transport, clock, progress).sync(folder);
    }
    if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        throw new NotDirectoryException(folder.toString());
      }
      StateFolder state = StateFolder.of(folder);
      if (state.exists()) {
        VaultConfig there = state.config();
        throw new IllegalArgumentException(
            folder
                + " is already a replica of vault \""
                + there.vault()
                + "\" on "
                + there.server()
                + ": run `vaultsync sync "
                + folder
                + "` to sync it, or clone into a new or empty folder");
      }
      try (Stream<Path> s = Files.list(folder)) {
        // A .vaultsync without a config is what a setup killed before it finished leaves (nothing
        // is downloaded before the config is written): the folder is as good as empty.
        if (s.anyMatch(p -> !isUnfinishedSetup(p))) {
          throw new IllegalArgumentException(
              folder
                  + " is not empty: clone into a new or empty folder (to upload a folder as a new"
                  + " vault, use `vaultsync init`)");
        }
      }
    }
    transport.manifest(config.vault()); // fails with NotFoundException before anything is created
    Files.createDirectories(folder);
    StateFolder.of(folder).create(config, token);
    return new Syncer(transport, clock, progress).sync(folder);
  }

  /**
   * Whether {@code entry} of a folder is a state folder that a killed setup left without config.
   */
  private static boolean isUnfinishedSetup(Path entry) {
    return entry.getFileName().toString().equals(ManifestScanner.STATE_FOLDER)
        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
        && !StateFolder.of(entry.getParent()).exists();
  }

  /**
   * Whether {@code folder} is set up as a replica of the same vault on the same server: an
   * interrupted clone (or a finished one), which running clone again finishes.
   */
  public static boolean isCloneOf(Path folder, VaultConfig config) throws IOException {
    StateFolder state = StateFolder.of(folder);
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !state.exists()) {
      return false;
    }
    VaultConfig there = state.config();
    return there.vault().equals(config.vault()) && there.server().equals(config.server());
  }
}
