package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  private static List<GuardRefusal> check(SyncPlan plan, int localFiles, int synced) {
    return MassDeleteGuard.check(
        plan,
        new MassDeleteGuard.Counts(localFiles, 0, synced, plan.remote().files().size()),
        DeleteLimits.DEFAULTS);
  }

  @Test
  void ordinaryDeletesPass() {
    assertThat(check(plan(3, 1, 0), 2, 3)).isEmpty(); // 33%, but 1 delete: below the floor
    assertThat(check(plan(100, 9, 0), 91, 100)).isEmpty(); // below the floor
    assertThat(check(plan(100, 30, 0), 70, 100)).isEmpty(); // exactly 30%
    assertThat(check(plan(100, 0, 9), 100, 100)).isEmpty();
  }

  /**
   * Issue 12 item 7: no absolute cap by default; a tidy-up of a large vault is not a mass delete.
   */
  @Test
  void manyDeletesInALargeVaultPassByDefault() {
    assertThat(check(plan(10_000, 255, 0), 9_745, 10_000)).isEmpty(); // 2.5%
    assertThat(check(plan(100_000, 5_000, 0), 95_000, 100_000)).isEmpty();
  }

  @Test
  void remoteDeletesOverThePercentageAreRefusedWithCountsAndSortedPaths() {
    GuardRefusal r = check(plan(100, 31, 0), 69, 100).get(0);
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.REMOTE_DELETES);
    assertThat(r.remoteSide()).isTrue();
    assertThat(r.deletes()).isEqualTo(31);
    assertThat(r.files()).isEqualTo(100);
    assertThat(r.paths()).hasSize(31).isSorted();
    assertThat(r.examples()).containsExactly(p(0), p(1), p(2), p(3), p(4));
    assertThat(r.describe("/home/me/Notes"))
        .startsWith("held back 31 deletes on the server: they are gone from /home/me/Notes, and")
        .contains("more than 30% of the vault's files (from 10 deletes on)")
        .contains("run `vaultsync sync /home/me/Notes --allow-mass-delete`", "put them back");
  }

  @Test
  void anAbsoluteCapAppliesWhenConfigured() {
    DeleteLimits capped = new DeleteLimits(200, 30, 10);
    SyncPlan plan = plan(100_000, 201, 0);
    assertThat(
            MassDeleteGuard.check(
                plan, new MassDeleteGuard.Counts(99_799, 0, 100_000, 100_000), capped))
        .singleElement()
        .satisfies(r -> assertThat(r.deletes()).isEqualTo(201));
  }

  @Test
  void localDeletesFromTheServerAreCountedAgainstThisFoldersFiles() {
    GuardRefusal r = check(plan(20, 0, 12), 32, 32).get(0); // 12 of 32: 37%
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.LOCAL_DELETES);
    assertThat(r.remoteSide()).isFalse();
    assertThat(r.deletes()).isEqualTo(12);
    assertThat(r.files()).isEqualTo(32);
    assertThat(r.describe("Notes")).contains("12 deletes in Notes: another device");
  }

  @Test
  void bothSidesAreCheckedOnTheirOwn() {
    List<GuardRefusal> both = check(plan(40, 20, 12), 32, 40);
    assertThat(both)
        .extracting(GuardRefusal::reason)
        .containsExactly(GuardRefusal.Reason.REMOTE_DELETES, GuardRefusal.Reason.LOCAL_DELETES);
  }

  /**
   * Only deletes count: a plan of moves (renames, with or without an edit) and uploads is never
   * held back, however many files it touches.
   */
  @Test
  void movesAreNotDeletes() {
    List<SyncAction> actions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      actions.add(new SyncAction.MoveRemote(p(i), NotePath.of("moved/" + i + ".md"), H));
      actions.add(new SyncAction.Upload(NotePath.of("moved/" + i + ".md"), H, new Version(H, 2)));
      actions.add(new SyncAction.MoveLocal(p(100 + i), NotePath.of("there/" + i + ".md"), H));
    }
    SyncPlan plan = new SyncPlan(actions, RemoteView.of(new RemoteManifest(1, List.of()), 0));
    assertThat(check(plan, 100, 100)).isEmpty();
  }

  @Test
  void anEmptyFolderWithSyncedFilesHoldsBackEvenOneDelete() {
    GuardRefusal r = check(plan(1, 1, 0), 0, 1).get(0);
    assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.FOLDER_LOOKS_EMPTY);
    assertThat(r.describe("/mnt/usb/Notes")).contains("/mnt/usb/Notes has no files", "unmounted");
  }

  @Test
  void anEmptyFolderIsNotRefusedWhenNothingWasSyncedOrNothingWouldBeDeleted() {
    assertThat(check(plan(0, 0, 0), 0, 0)).isEmpty(); // a fresh clone
    assertThat(check(plan(5, 0, 0), 0, 5)).isEmpty(); // the server lost them too: only records
    SyncPlan one = plan(1, 1, 0);
    assertThat(
            MassDeleteGuard.check(
                one, new MassDeleteGuard.Counts(0, 1, 1, 1), DeleteLimits.DEFAULTS))
        .isEmpty(); // a file being written: not empty
  }

  @Test
  void limitsFromTheFolderConfigApply() {
    DeleteLimits strict = new DeleteLimits(2, 100, 1);
    assertThat(
            MassDeleteGuard.check(
                plan(100, 3, 0), new MassDeleteGuard.Counts(97, 0, 100, 100), strict))
        .isNotEmpty();
    assertThat(
            MassDeleteGuard.check(
                plan(100, 2, 0), new MassDeleteGuard.Counts(98, 0, 100, 100), strict))
        .isEmpty();
  }

  /**
   * Holding back replaces only the refused side's deletes; the upload and the other side's deletes
   * stay in the plan.
   */
  @Test
  void holdBackReplacesOnlyTheRefusedDeletes() {
    SyncPlan plan = plan(100, 31, 3);
    List<GuardRefusal> refusals = check(plan, 69, 100);
    assertThat(refusals).hasSize(1);
    SyncPlan held = MassDeleteGuard.holdBack(plan, refusals, "Notes");
    assertThat(held.actions()).hasSize(plan.actions().size());
    assertThat(held.actions()).filteredOn(a -> a instanceof SyncAction.HeldBack).hasSize(31);
    assertThat(held.actions()).filteredOn(a -> a instanceof SyncAction.DeleteLocal).hasSize(3);
    assertThat(held.actions()).filteredOn(a -> a instanceof SyncAction.Upload).hasSize(1);
    assertThat(held.lines()).contains("held back    delete remote n000.md");
  }

  /**
   * Issue 12 item 7: deletes another device made with {@code --allow-mass-delete} arrive marked
   * confirmed on the change feed; they are not counted here, so they are applied without asking
   * again. The same deletes unconfirmed are held back.
   */
  @Test
  void deletesConfirmedOnAnotherDeviceAreNotHeldBack() {
    List<SyncAction> actions = new ArrayList<>();
    List<Change> feed = new ArrayList<>();
    List<io.vaultsync.client.state.IndexEntry> base = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      base.add(new io.vaultsync.client.state.IndexEntry(p(i), 1, 0, H, null));
    }
    for (int i = 0; i < 12; i++) {
      actions.add(new SyncAction.DeleteLocal(p(i), H));
      feed.add(
          new Change(i + 1, Change.Op.DELETE, p(i), null, H, 1, "laptop", Instant.EPOCH, i < 10));
    }
    LocalIndex index = new LocalIndex(0, base);
    SyncPlan plan = new SyncPlan(actions, RemoteView.fold(index, feed, 12));
    // 2 unconfirmed of 20: below the floor.
    assertThat(check(plan, 20, 20)).isEmpty();

    List<Change> unconfirmed =
        feed.stream()
            .map(
                c ->
                    new Change(
                        c.seq(), c.op(), c.path(), null, c.hash(), c.size(), c.device(), c.time()))
            .toList();
    SyncPlan asking = new SyncPlan(actions, RemoteView.fold(index, unconfirmed, 12));
    assertThat(check(asking, 20, 20))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.LOCAL_DELETES);
              assertThat(r.deletes()).isEqualTo(12);
            });
  }
}
