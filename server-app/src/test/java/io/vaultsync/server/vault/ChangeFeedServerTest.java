package io.vaultsync.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's change feed: client commits and edits on the server's disk alike, in order. */
@Timeout(60)
class ChangeFeedServerTest extends NotesVaultTest {
  private static final class Recorder implements ChangeListener {
    final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
    final BlockingQueue<IOException> closed = new LinkedBlockingQueue<>();

    @Override
    public void onChanges(List<Change> batch, long headSeq) {
      changes.addAll(batch);
    }

    @Override
    public void onClosed(IOException cause) {
      closed.add(cause);
    }

    List<Change> take(int n) throws InterruptedException {
      List<Change> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Change c = changes.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("change %d of %d", i + 1, n).isNotNull();
        out.add(c);
      }
      return out;
    }
  }

  @Test
  void commitsAndServerDiskEditsReachSubscribersInSeqOrder() throws Exception {
    commit("laptop", putNew("a.md", "a"));
    Recorder r = new Recorder();
    try (Subscription s = f.vaults.subscribe("notes", 0, r)) {
      assertThat(r.take(1)).extracting(Change::seq).containsExactly(1L);
      commit("laptop", putNew("b.md", "b"));
      Files.writeString(f.file("notes", "c.md"), "edited on the server's disk");
      f.reconciler.reconcile(VaultName.of("notes"));
      List<Change> got = r.take(2);
      assertThat(got).extracting(Change::seq).containsExactly(2L, 3L);
      assertThat(got).extracting(Change::device).containsExactly("laptop", "server-disk");
    }
    assertThat(f.vaults.subscribers("notes")).isZero();
  }

  @Test
  void backlogOlderThanTheMemoryIsReadFromTheLedger() throws Exception {
    int n = ServerVaults.RECENT_CHANGES + 50;
    List<Mutation> puts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      puts.add(putNew("n" + i + ".md", "" + i));
    }
    for (int from = 0; from < n; from += Limits.COMMIT_MUTATIONS) {
      f.vaults.commit(
          "notes", puts.subList(from, Math.min(n, from + Limits.COMMIT_MUTATIONS)), "laptop");
    }
    Recorder r = new Recorder();
    try (Subscription s = f.vaults.subscribe("notes", 10, r)) {
      List<Change> got = r.take(n - 10);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).seq()).isEqualTo(11 + i);
      }
    }
  }

  @Test
  void closingTheServerEndsSubscriptionsAsUnavailable() throws Exception {
    Recorder r = new Recorder();
    f.vaults.subscribe("notes", 0, r);
    f.vaults.close();
    assertThat(r.closed.poll(10, TimeUnit.SECONDS))
        .isInstanceOf(io.vaultsync.protocol.RemoteUnavailableException.class);
  }

  @Test
  void subscribingToAnUnknownVaultIsNotFound() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> f.vaults.subscribe("nope", 0, new Recorder()))
        .isInstanceOf(io.vaultsync.protocol.NotFoundException.class);
  }
}
