package io.vaultsync.server.vault;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.server.ledger.SqliteDatabase;
import io.vaultsync.server.ledger.SqliteLedgerStore;
import io.vaultsync.server.ledger.SqliteSnapshotStore;
import io.vaultsync.server.store.PackContentStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/** A ServerVaults over a data folder, as ServerData lays it out, without the file lock. */
final class Fixture implements AutoCloseable {
  final Path dir;
  final SqliteDatabase db;
  final PackContentStore store;
  final SqliteSnapshotStore snapshots;
  final ServerVaults vaults;
  final Reconciler reconciler;

  Fixture(Path dir) throws IOException {
    this.dir = dir;
    this.db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
    this.store = PackContentStore.open(dir.resolve("store"));
    this.snapshots = new SqliteSnapshotStore(db);
    this.vaults =
        new ServerVaults(
            new SqliteLedgerStore(db), snapshots, store, dir.resolve("vaults"), Clock.systemUTC());
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

  static byte[] delta(byte[] basis, byte[] target) throws IOException {
    Signature sig = SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaEncoder e = new DeltaEncoder(sig, new DeltaWriter(out));
    e.update(target, 0, target.length);
    e.finish();
    return out.toByteArray();
  }

  static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaReader.read(new ByteArrayInputStream(delta), new Patcher(Basis.of(basis), out));
    return out.toByteArray();
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
