package io.vaultsync.server.vault;

import io.vaultsync.model.tree.DiskNames;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterDisk;
import io.vaultsync.server.mirror.MasterFolder;
import io.vaultsync.server.mirror.OwnWrites;
import io.vaultsync.server.store.ContentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each vault's master folder is ({@code <vaults>/NAME}) and how it is written: the names on
 * disk the last scan found (not NFC), the server's own writes (for the watcher to tell them apart)
 * and the disk (tests fail writes with it). Thread-safe.
 */
final class MasterFolders {
  private final Path root;
  private final ContentStore store;
  private final Clock clock;
  private final OwnWrites ownWrites = new OwnWrites();

  /** Per vault: the master folder's names that are not NFC on disk, as the last scan found them. */
  private final Map<VaultName, DiskNames> diskNames = new ConcurrentHashMap<>();

  private volatile MasterDisk disk = MasterDisk.REAL;

  MasterFolders(Path root, ContentStore store, Clock clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The master folder of {@code vault}. */
  Path folder(VaultName vault) {
    return root.resolve(vault.value());
  }

  /** A writer of {@code vault}'s master folder, with the names on disk known now. */
  MasterFolder master(VaultName vault) {
    return new MasterFolder(
        folder(vault),
        store,
        clock,
        ownWrites,
        disk,
        diskNames.getOrDefault(vault, DiskNames.NONE));
  }

  OwnWrites ownWrites() {
    return ownWrites;
  }

  /** Makes every later write go through {@code disk} (tests inject failures). */
  void setDisk(MasterDisk disk) {
    this.disk = Objects.requireNonNull(disk, "disk");
  }

  /** Whether a scan told {@link #diskNames(VaultName, DiskNames)} since the start. */
  boolean knowsDiskNames(VaultName vault) {
    return diskNames.containsKey(vault);
  }

  /** What the last scan of the master folder found: writes go to these names. */
  void diskNames(VaultName vault, DiskNames names) {
    diskNames.put(vault, names);
  }
}
