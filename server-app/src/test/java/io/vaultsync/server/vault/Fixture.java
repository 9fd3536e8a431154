package io.vaultsync.server.vault;

import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlSnapshotStore;
import io.vaultsync.server.store.PackContentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/** A ServerVaults over a data folder, as ServerData lays it out, without the file lock. */
final class Fixture implements AutoCloseable {
  final Path dir;
  final SqliteDatabase db;
  final PackContentStore store;
  final SqlSnapshotStore snapshots;
  final ServerVaults vaults;
  final Reconciler reconciler;

  Fixture(Path dir) throws IOException {
    this.dir = dir;
    this.db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
    this.store = PackContentStore.open(dir.resolve("store"));
    this.snapshots = new SqlSnapshotStore(db);
    this.vaults =
        new ServerVaults(
            new SqlLedgerStore(db), snapshots, store, dir.resolve("vaults"), Clock.systemUTC());
    this.reconciler = new Reconciler(vaults);
  }

  /** A file of the master folder, once every recorded change has been mirrored there. */
  Path file(String vault, String path) throws IOException {
    vaults.awaitMirrored(vault);
    return dir.resolve("vaults").resolve(vault).resolve(path);
  }

  @Override
  public void close() throws IOException {
    // As ServerData does: finish the mirror worker's writes first, or they race @TempDir's cleanup
    // ("Failed to delete temp directory ... vaults/notes") and the store's close.
    vaults.close();
    store.close();
    db.close();
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
