package io.vaultsync.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Mutation;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The mirror worker gives the vault's lock to a waiting commit between two files. */
class ServerVaultsMirrorTest extends NotesVaultTest {
  private static final int FILES = 20;

  private static List<Mutation> puts(String prefix, int n) throws IOException {
    List<Mutation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(putNew(prefix + i + ".md", prefix + i + "\n"));
    }
    return out;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void commitArrivingDuringAMirrorGoesBeforeTheRestOfThatBatchAndEverythingIsMirrored()
      throws Exception {
    VaultLock lock = f.vaults.lock(VaultName.of("notes"));
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> second = new CompletableFuture<>();
    f.vaults.setCommitHook(
        () -> {
          if (Thread.currentThread().getName().equals("second-commit")) {
            events.add("second commit");
          }
        });
    f.vaults.setMirrorHook(
        c -> {
          events.add("mirrored " + c.path().value());
          if (c.seq() == 1) {
            Thread t =
                new Thread(
                    () -> {
                      try {
                        f.vaults.commit("notes", puts("b", 1), "phone");
                        second.complete(null);
                      } catch (IOException | RuntimeException e) {
                        second.completeExceptionally(e);
                      }
                    },
                    "second-commit");
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!lock.hasQueuedThreads() && System.nanoTime() < deadline) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
          }
        });

    f.vaults.commit("notes", puts("a", FILES), "laptop");
    second.get(30, TimeUnit.SECONDS);
    f.vaults.awaitMirrored("notes");

    int commitAt = events.indexOf("second commit");
    assertThat(commitAt).as("events %s", events).isPositive();
    assertThat(events.subList(0, commitAt))
        .as("events %s", events)
        .containsExactly("mirrored a0.md");
    for (int i = 0; i < FILES; i++) {
      assertThat(Files.readString(f.file("notes", "a" + i + ".md"))).isEqualTo("a" + i + "\n");
    }
    assertThat(Files.readString(f.file("notes", "b0.md"))).isEqualTo("b0\n");
    assertThat(new SqlLedgerStore(f.db).mirroredSeq(VaultName.of("notes"))).isEqualTo(FILES + 1);
  }
}
