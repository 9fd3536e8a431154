package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.DeleteLimits;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.RemoteManifest;
import io.vaultsync.core.tree.NotePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guard as a pure function of a plan and the vault's sizes. */
class MassDeleteGuardTest {
  private static final ContentHash H = ContentHash.digestOf(new byte[] {1});

  private static NotePath p(int i) {
    return NotePath.of(String.format("n%03d.md", i));
  }

  /** A plan with {@code remoteDeletes} DeleteRemote and {@code localDeletes} DeleteLocal steps. */
  private static SyncPlan plan(int remoteFiles, int remoteDeletes, int localDeletes) {
    List<RemoteEntry> entries = new ArrayList<>();
    for (int i = 0; i < remoteFiles; i++) {
      entries.add(new RemoteEntry(p(i), H, 1, i + 1));
    }
    List<SyncAction> actions = new ArrayList<>();
    for (int i = remoteDeletes - 1; i >= 0; i--) {
      actions.add(new SyncAction.DeleteRemote(p(i), H));
    }
    for (int i = 0; i < localDeletes; i++) {
      actions.add(new SyncAction.DeleteLocal(p(500 + i), H));
    }
    actions.add(new SyncAction.Upload(NotePath.of("other.md"), null, new Version(H, 1)));
    return new SyncPlan(actions, RemoteView.of(new RemoteManifest(remoteFiles, entries), 0));
  }

  private static Optional<GuardRefusal> check(SyncPlan plan, int localFiles, int synced) {
    return MassDeleteGuard.check(plan, localFiles, 0, synced, DeleteLimits.DEFAULTS);
  }

  @Test
  void ordinaryDeletesPass() {
    assertThat(check(plan(3, 1, 0), 2, 3)).isEmpty(); // 33%, but 1 delete: below the floor
    assertThat(check(plan(100, 9, 0), 91, 100)).isEmpty(); // below the floor
    assertThat(check(plan(100, 30, 0), 70, 100)).isEmpty(); // exactly 30%
    assertThat(check(plan(10_000, 200, 0), 9_800, 10_000)).isEmpty(); // exactly 200
    assertThat(check(plan(100, 0, 9), 100, 100)).isEmpty();
  }

  @Test
  void remoteDeletesOverThePercentageAreRefusedWithCountsAndSortedExamples() {
    GuardRefusal r = check(plan(100, 31, 0), 69, 100).orElseThrow();
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.REMOTE_DELETES);
    assertThat(r.deletes()).isEqualTo(31);
    assertThat(r.files()).isEqualTo(100);
    assertThat(r.examples()).containsExactly(p(0), p(1), p(2), p(3), p(4));
    assertThat(r.describe("/home/me/Notes"))
        .contains("delete 31 of 100 files (31%) on the server", "e.g. n000.md, n001.md")
        .contains("more than 200 files or more than 30%")
        .contains("Nothing was changed", "--allow-mass-delete");
  }

  @Test
  void remoteDeletesOverTheCountAreRefusedHoweverLargeTheVault() {
    GuardRefusal r = check(plan(100_000, 201, 0), 99_799, 100_000).orElseThrow();
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.REMOTE_DELETES);
    assertThat(r.deletes()).isEqualTo(201);
  }

  @Test
  void localDeletesFromTheServerAreCountedAgainstThisFoldersFiles() {
    GuardRefusal r = check(plan(20, 0, 12), 32, 32).orElseThrow(); // 12 of 32: 37%
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.LOCAL_DELETES);
    assertThat(r.deletes()).isEqualTo(12);
    assertThat(r.files()).isEqualTo(32);
    assertThat(r.describe("Notes")).contains("in Notes because another device deleted them");
  }

  @Test
  void anEmptyFolderWithSyncedFilesIsRefusedEvenForOneDelete() {
    GuardRefusal r = check(plan(1, 1, 0), 0, 1).orElseThrow();
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.FOLDER_LOOKS_EMPTY);
    assertThat(r.describe("/mnt/usb/Notes")).contains("/mnt/usb/Notes has no files", "unmounted");
  }

  @Test
  void anEmptyFolderIsNotRefusedWhenNothingWasSyncedOrNothingWouldBeDeleted() {
    assertThat(check(plan(0, 0, 0), 0, 0)).isEmpty(); // a fresh clone
    assertThat(check(plan(5, 0, 0), 0, 5)).isEmpty(); // the server lost them too: only records
    assertThat(MassDeleteGuard.check(plan(1, 1, 0), 0, 1, 1, DeleteLimits.DEFAULTS))
        .isEmpty(); // a file being written: not empty
  }

  @Test
  void limitsFromTheFolderConfigApply() {
    DeleteLimits strict = new DeleteLimits(2, 100, 1);
    assertThat(MassDeleteGuard.check(plan(100, 3, 0), 97, 0, 100, strict)).isPresent();
    assertThat(MassDeleteGuard.check(plan(100, 2, 0), 98, 0, 100, strict)).isEmpty();
  }
}
