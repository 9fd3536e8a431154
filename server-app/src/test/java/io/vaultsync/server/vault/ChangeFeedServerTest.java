package io.vaultsync.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.server.ledger.VaultName;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's change feed: client commits and edits on the server's disk alike, in order. */
@Timeout(60)
class ChangeFeedServerTest extends NotesVaultTest {
  @Test
  void commitsAndServerDiskEditsReachSubscribersInSeqOrder() throws Exception {
    commit("laptop", putNew("a.md", "a"));
    SubscriptionRecorder r = new SubscriptionRecorder();
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
    SubscriptionRecorder r = new SubscriptionRecorder();
    try (Subscription s = f.vaults.subscribe("notes", 10, r)) {
      List<Change> got = r.take(n - 10);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).seq()).isEqualTo(11 + i);
      }
    }
  }

  @Test
  void closingTheServerEndsSubscriptionsAsUnavailable() throws Exception {
    SubscriptionRecorder r = new SubscriptionRecorder();
    f.vaults.subscribe("notes", 0, r);
    f.vaults.close();
    assertThat(r.awaitClosed())
        .isInstanceOf(io.vaultsync.protocol.RemoteUnavailableException.class);
  }

  @Test
  void subscribingToAnUnknownVaultIsNotFound() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> f.vaults.subscribe("nope", 0, new SubscriptionRecorder()))
        .isInstanceOf(io.vaultsync.protocol.NotFoundException.class);
  }
}
