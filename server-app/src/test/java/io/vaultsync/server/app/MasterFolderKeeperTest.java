package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlRecentDeletes;
import io.vaultsync.server.ledger.SqlSnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterWatcher;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.vault.Coordination;
import io.vaultsync.server.vault.Reconciler;
import io.vaultsync.server.vault.ServerVaults;
import io.vaultsync.server.vault.VaultLocks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master folders of a server of several processes: two processes on one database and store,
 * each with a {@link MasterFolderKeeper} over one lease table; one writes the folders at a time,
 * commits through the other reach them, and when the owner can no longer renew its lease the other
 * takes over and catches the folders up.
 */
@Timeout(60)
class MasterFolderKeeperTest {
  @TempDir Path dir;

  private SqliteDatabase db;
  private PackContentStore store;
  private final Bus bus = new Bus();
  private final FakeLeases leases = new FakeLeases();
  private final VaultLocks locks = VaultLocks.inProcess();
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
    store = PackContentStore.open(dir.resolve("store"));
  }

  @AfterEach
  void close() throws IOException {
    for (Process p : processes) {
      p.keeper.close();
      p.vaults.close();
    }
    store.close();
    db.close();
  }

  @Test
  void oneProcessWritesTheFoldersAndCommitsThroughAnotherReachThem() throws Exception {
    Process a = process("a");
    a.keeper.start(bus);
    await().atMost(Duration.ofSeconds(10)).until(a.keeper::ownsMasterFolders);
    Process b = process("b");
    b.keeper.start(bus);
    a.vaults.createVault("notes");
    b.vaults.commit("notes", List.of(put("via-b.md", "written through b")), "laptop");
    a.vaults.commit("notes", List.of(put("via-a.md", "written through a")), "laptop");
    Path folder = dir.resolve("masters/notes");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.exists(folder.resolve("via-b.md"))
                    && Files.exists(folder.resolve("via-a.md")));
    assertThat(Files.readString(folder.resolve("via-b.md"))).isEqualTo("written through b");
    assertThat(b.keeper.ownsMasterFolders()).isFalse();
  }

  @Test
  void whenTheOwnerCannotRenewItsLeaseAnotherTakesOverAndCatchesUp() throws Exception {
    Process a = process("a");
    Process b = process("b");
    a.keeper.start(bus);
    await().atMost(Duration.ofSeconds(10)).until(a.keeper::ownsMasterFolders);
    b.keeper.start(bus);
    a.vaults.createVault("notes");
    leases.unreachable.add("a"); // a's database connection is gone: it stops writing at once
    await().atMost(Duration.ofSeconds(10)).until(() -> !a.keeper.ownsMasterFolders());
    b.vaults.commit(
        "notes", List.of(put("meanwhile.md", "committed while nobody owned")), "laptop");
    await().atMost(Duration.ofSeconds(20)).until(b.keeper::ownsMasterFolders);
    Path note = dir.resolve("masters/notes/meanwhile.md");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(note));
    assertThat(Files.readString(note)).isEqualTo("committed while nobody owned");
  }

  private Process process(String name) {
    AtomicReference<Reconciler> reconciler = new AtomicReference<>();
    AtomicReference<ServerVaults> vaults = new AtomicReference<>();
    Path root = dir.resolve("masters");
    MasterFolderKeeper keeper =
        new MasterFolderKeeper(
            root,
            leases.of(name),
            reconciler::get,
            () -> watcher(root, reconciler.get(), vaults.get()),
            Duration.ofMillis(1500),
            Duration.ofMillis(300));
    vaults.set(
        new ServerVaults(
            new SqlLedgerStore(db),
            new SqlSnapshotStore(db),
            store,
            root,
            Clock.systemUTC(),
            DeleteLimits.DEFAULTS,
            Coordination.shared(locks, new SqlRecentDeletes(db), bus, keeper)));
    reconciler.set(new Reconciler(vaults.get()));
    Process p = new Process(vaults.get(), keeper);
    processes.add(p);
    return p;
  }

  private static MasterWatcher watcher(Path root, Reconciler reconciler, ServerVaults vaults) {
    return new MasterWatcher(
        root,
        new MasterWatcher.Target() {
          @Override
          public void reconcile(String folderName) throws IOException {
            reconciler.reconcile(VaultName.of(folderName));
          }

          @Override
          public void reconcileAll() throws IOException {
            reconciler.reconcileAll();
          }
        },
        Duration.ofMillis(200),
        vaults.ownWrites());
  }

  private static Mutation put(String path, String text) throws IOException {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    return new Mutation.Put(
        NotePath.of(path), null, io.vaultsync.core.Deltas.delta(new byte[0], content));
  }

  private record Process(ServerVaults vaults, MasterFolderKeeper keeper) {}

  /** One lease table for every process, as the database keeps it; a process can lose its link. */
  private static final class FakeLeases {
    final Map<String, Object[]> held = new ConcurrentHashMap<>(); // name -> {holder, expiresNanos}
    final List<String> unreachable = new CopyOnWriteArrayList<>();

    Leases of(String holder) {
      return new Leases() {
        @Override
        public boolean hold(String name, Duration ttl) throws IOException {
          if (unreachable.contains(holder)) {
            throw new IOException("database unreachable");
          }
          synchronized (held) {
            Object[] h = held.get(name);
            long now = System.nanoTime();
            if (h == null || h[0].equals(holder) || (long) h[1] < now) {
              held.put(name, new Object[] {holder, now + ttl.toNanos()});
              return true;
            }
            return false;
          }
        }

        @Override
        public void release(String name) {
          synchronized (held) {
            Object[] h = held.get(name);
            if (h != null && h[0].equals(holder)) {
              held.remove(name);
            }
          }
        }
      };
    }
  }

  /** Change signals within this JVM. */
  private static final class Bus implements ChangeSignals {
    final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void committed(VaultName vault, long seq) {
      listeners.forEach(l -> l.committed(vault, seq));
    }

    @Override
    public void listen(Listener listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {}
  }
}
