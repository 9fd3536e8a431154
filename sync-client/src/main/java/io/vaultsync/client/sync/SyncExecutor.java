package io.vaultsync.client.sync;

import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.SyncProtocol;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Executes one {@link SyncPlan}. Local steps first (moves, deletes, downloads, merges, conflict
 * copies), then the remote ones in {@link SyncProtocol#commit} batches ({@link RemoteSteps}).
 *
 * <p>Every step checks again, right before acting, that the local file is still the version the
 * plan saw, and is skipped otherwise (the next sync picks it up). Every file is written atomically
 * and never through a symbolic link. The index is saved after the local steps and after each batch,
 * and only ever records a version both the disk and the server hold durably; a crash in between
 * leaves the index behind the disk, and the next sync, deciding by hashes, finishes the work (a
 * file already equal on both sides is only recorded). So execution is idempotent.
 *
 * <p>The steps live in collaborators of one concern each: {@link LocalSteps} (record, download,
 * delete, move), {@link ConflictSteps} (merges and conflict copies), {@link DownloadQueue} (small
 * downloads as batches, flushed before any other local step so the plan's order holds), {@link
 * RemoteSteps} (commit batches and pushes) and {@link RoundLedger} (what was left out, applied, and
 * the seq the index records).
 *
 * <p>A move with an edit runs as two steps of the plan: locally a {@link SyncAction.MoveLocal} then
 * a {@link SyncAction.Download} against the moved file (which the download checks, as the scan
 * never saw it there); remotely a move then an upload at the destination ({@link RemoteSteps}).
 *
 * <p>Deletes the guard held back ({@link SyncAction.HeldBack}), and deletes the server refuses as a
 * mass delete ({@link MassDeleteRefusedException}: the batch is sent again without them), are left
 * undone and named ({@link NotSynced.Kind#HELD_BACK}); everything else goes on.
 *
 * <p>One instance per round; not thread-safe.
 */
final class SyncExecutor {
  private final Round round;
  private final LocalSteps localSteps;
  private final ConflictSteps conflicts;
  private final DownloadQueue downloads;
  private final RemoteSteps remoteSteps;

  /**
   * What the {@link Syncer} shares with each round's executor, the same across rounds and syncs.
   *
   * @param transport the connection to the server
   * @param clock names conflict copies
   * @param progress hears each step done
   * @param refusedUploads uploads the server refused lately
   */
  record Shared(
      SyncProtocol transport, Clock clock, SyncProgress progress, RefusedUploads refusedUploads) {
    Shared {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(progress, "progress");
      Objects.requireNonNull(refusedUploads, "refusedUploads");
    }
  }

  /**
   * An executor for one round of {@code run}: {@code index} is the folder's whole index (changed as
   * steps are done), {@code scan} what this round's scan saw.
   */
  SyncExecutor(Shared shared, SyncRun run, LocalIndex index, ScanResult scan) throws IOException {
    SafeFiles files =
        run.files().withNames(scan.names()); // existing files keep their names on disk
    this.round =
        new Round(
            shared.transport(),
            run.config(),
            run.state(),
            files,
            new Transfers(files, run.state().tempDir()),
            index,
            new SeenFiles(scan),
            run.tally(),
            new RoundLedger(run.tally(), shared.progress()));
    this.localSteps = new LocalSteps(round);
    this.conflicts = new ConflictSteps(round, shared.clock());
    this.downloads = new DownloadQueue(round);
    this.remoteSteps =
        new RemoteSteps(round, run.options().commitOptions(), shared.refusedUploads());
  }

  /** Runs the plan; returns how many steps the server refused as stale (a re-plan is due). */
  int execute(SyncPlan plan) throws IOException {
    RoundLedger ledger = round.ledger();
    List<SyncAction> moves = new ArrayList<>();
    List<SyncAction> deletes = new ArrayList<>();
    List<SyncAction.Upload> uploads = new ArrayList<>();
    plan.leftOut().forEach(round.tally()::leaveOut);
    ledger.announce(plan);
    for (SyncAction a : plan.actions()) {
      if (DownloadQueue.takes(a)) {
        downloads.add((SyncAction.Download) a);
        continue;
      }
      boolean remote = RoundLedger.isRemote(a);
      if (!remote) {
        downloads.flush(); // local steps keep the plan's order
      }
      try {
        if (a instanceof SyncAction.MoveRemote) {
          moves.add(a);
        } else if (a instanceof SyncAction.DeleteRemote) {
          deletes.add(a);
        } else if (a instanceof SyncAction.Upload u) {
          uploads.add(u);
        } else {
          local(a, uploads);
        }
      } catch (UnsafePathException e) {
        ledger.skip(a.path(), NotSynced.Kind.NAME, e.getMessage());
      } catch (ChangedMeanwhileException | FileSystemException e) {
        ledger.skip(a.path(), e.getMessage());
      } catch (NotFoundException | DamagedDownloadException e) {
        ledger.leaveOut(NotSynced.serverLacks(a.path().value(), e.getMessage()));
      }
      if (!remote) {
        ledger.fileDone(a.path(), RoundLedger.contentBytes(a));
      }
    }
    downloads.flush();
    if (!moves.isEmpty() || !deletes.isEmpty() || !uploads.isEmpty()) {
      round.state().writeIndex(round.index()); // kept if the server calls fail
    }
    try {
      remoteSteps.run(moves, deletes, uploads);
    } finally {
      ledger.remoteStepsOver(); // stale, duplicate or not reached
    }
    round.index().setLastSeq(ledger.lastSeq(plan.remote()));
    round.state().writeIndex(round.index());
    return ledger.staleCount();
  }

  private void local(SyncAction a, List<SyncAction.Upload> uploads) throws IOException {
    if (a instanceof SyncAction.Skip s) {
      if (s.named()) {
        round.ledger().holdBack(s.path()); // named with the plan's left-out files
      } else {
        round.ledger().skip(s.path(), s.kind(), s.reason());
      }
    } else if (a instanceof SyncAction.HeldBack h) {
      round.ledger().skip(h.path(), NotSynced.Kind.HELD_BACK, h.reason());
    } else if (a instanceof SyncAction.Record r) {
      localSteps.record(r);
    } else if (a instanceof SyncAction.Download d) {
      localSteps.download(d);
    } else if (a instanceof SyncAction.DeleteLocal d) {
      localSteps.deleteLocal(d);
    } else if (a instanceof SyncAction.MoveLocal m) {
      localSteps.moveLocal(m);
    } else if (a instanceof SyncAction.Merge m) {
      conflicts.merge(m, uploads);
    } else if (a instanceof SyncAction.KeepBoth k) {
      conflicts.keepBoth(k.path(), k.local(), k.remote(), uploads);
    } else {
      throw new IllegalStateException("not a local step: " + a);
    }
  }
}
