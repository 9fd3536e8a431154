package io.vaultsync.server.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlRecentDeletes;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two "processes" of one server (two {@link ServerVaults} on one database and one content store,
 * sharing only what {@link Coordination#shared} shares, as the PostgreSQL backend's processes do):
 * each one's subscribers see the other's commits once and in order, whether the change signal
 * arrives or is lost; the mass-delete window counts deletes made through either; neither keeps a
 * master folder.
 */
@Timeout(60)
class SharedProcessesTest extends NotesVaultTest {
  /** The change signals between the two, which a test can make lose every signal. */
  private final Bus bus = new Bus();

  private final VaultLocks locks = VaultLocks.inProcess();
  private ServerVaults a;
  private ServerVaults b;

  @BeforeEach
  void openTwoProcesses() {
    a = process(DeleteLimits.DEFAULTS);
    b = process(DeleteLimits.DEFAULTS);
  }

  @AfterEach
  void closeThem() throws IOException {
    a.close();
    b.close();
  }

  private ServerVaults process(DeleteLimits limits) {
    return new ServerVaults(
        new SqlLedgerStore(f.db),
        f.snapshots,
        f.store,
        dir.resolve("vaults-of-" + System.identityHashCode(this)),
        Clock.systemUTC(),
        limits,
        Coordination.shared(locks, new SqlRecentDeletes(f.db), bus, FolderOwnership.NEVER));
  }

  @Test
  void commitsThroughEitherProcessReachTheOthersSubscriberOnceAndInOrder() throws Exception {
    SubscriptionRecorder onB = new SubscriptionRecorder();
    SubscriptionRecorder onA = new SubscriptionRecorder();
    try (Subscription sb = b.subscribe("notes", 0, onB);
        Subscription sa = a.subscribe("notes", 0, onA)) {
      for (int i = 0; i < 20; i++) {
        (i % 2 == 0 ? a : b).commit("notes", List.of(putNew("n" + i + ".md", "" + i)), "laptop");
      }
      assertThat(onB.take(20)).extracting(Change::seq).containsExactlyElementsOf(seqs(1, 20));
      assertThat(onA.take(20)).extracting(Change::seq).containsExactlyElementsOf(seqs(1, 20));
      assertThat(onB.received()).hasSize(20); // nothing twice
    }
  }

  @Test
  void aLostSignalIsMadeUpByReadingTheLedger() throws Exception {
    bus.lose.set(true);
    SubscriptionRecorder onB = new SubscriptionRecorder();
    try (Subscription sb = b.subscribe("notes", 0, onB)) {
      a.commit("notes", List.of(putNew("lost-signal.md", "still arrives")), "laptop");
      assertThat(onB.take(1)).extracting(c -> c.path().value()).containsExactly("lost-signal.md");
    }
    assertThat(bus.sent).isNotEmpty(); // it was announced, and lost
  }

  @Test
  void theMassDeleteWindowCountsDeletesMadeThroughEveryProcess() throws Exception {
    List<Mutation> puts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      puts.add(putNew("d" + i + ".md", "note " + i));
    }
    a.commit("notes", puts, "laptop");
    List<Mutation> deletes = new ArrayList<>();
    for (Change c : f.vaults.changesSince("notes", 0, 100).changes()) {
      deletes.add(new Mutation.Delete(c.path(), c.hash()));
    }
    a.commit("notes", deletes.subList(0, 6), "phone");
    assertThatThrownBy(() -> b.commit("notes", deletes.subList(6, 13), "phone"))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("13 of 40 files");
  }

  @Test
  void aSharedProcessKeepsNoMasterFolder() throws Exception {
    a.createVault("elsewhere");
    a.commit("elsewhere", List.of(putNew("a.md", "a")), "laptop");
    assertThat(b.manifest("elsewhere").entries()).hasSize(1);
    assertThat(Files.exists(a.folder(VaultName.of("elsewhere")))).isFalse();
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }

  /** Signals within this JVM, as LISTEN/NOTIFY carries them between processes. */
  private static final class Bus implements ChangeSignals {
    final AtomicBoolean lose = new AtomicBoolean();
    final List<Long> sent = new CopyOnWriteArrayList<>();
    final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void committed(VaultName vault, long seq) {
      sent.add(seq);
      if (!lose.get()) {
        listeners.forEach(l -> l.committed(vault, seq));
      }
    }

    @Override
    public void listen(Listener listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {}
  }
}
