package io.vaultsync.client.sync;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.core.transport.VaultTransport;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
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
      throw new IllegalArgumentException(folder + " is set up for sync already");
    }
    transport.createVault(config.vault());
    state.create(config, token);
    return new Syncer(transport, clock, progress).sync(folder);
  }

  /** Downloads vault {@code config.vault()} into {@code folder}, which must be empty or absent. */
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
    if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        throw new NotDirectoryException(folder.toString());
      }
      try (Stream<Path> s = Files.list(folder)) {
        if (s.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(folder.toString());
        }
      }
    }
    transport.manifest(config.vault()); // fails with NotFoundException before anything is created
    Files.createDirectories(folder);
    StateFolder.of(folder).create(config, token);
    return new Syncer(transport, clock, progress).sync(folder);
  }
}
