package io.vaultsync.server.vault;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Records changes: makes their content durable (the store batch commits: pack fsync), appends them
 * to the ledger in one transaction, hands them to the change feed, and leaves them to the mirror to
 * write into the master folder after the acknowledgement. The caller holds the vault's lock.
 * Thread-safe.
 */
final class ChangeRecorder {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ChangeRecorder.class);

  /** Called between the store commit and the ledger commit; tests throw from it. */
  @FunctionalInterface
  interface CommitHook {
    void beforeLedgerCommit() throws IOException;
  }

  private final LedgerStore ledger;
  private final Clock clock;
  private final VaultChangeFeed feed;

  private final MasterMirror mirror;
  private final ChangeSignals signals;

  /** Whether this process writes the master folders now (else the owner catches up later). */
  private final FolderOwnership folders;

  private volatile CommitHook hook = () -> {};

  ChangeRecorder(
      LedgerStore ledger,
      Clock clock,
      VaultChangeFeed feed,
      MasterMirror mirror,
      ChangeSignals signals,
      FolderOwnership folders) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.mirror = Objects.requireNonNull(mirror, "mirror");
    this.signals = Objects.requireNonNull(signals, "signals");
    this.folders = Objects.requireNonNull(folders, "folders");
  }

  void setHook(CommitHook hook) {
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /**
   * Makes {@code batch} durable, appends {@code changes} in one transaction, then publishes them
   * and (unless {@code alreadyOnDisk}: they were read from the master folder, so there is nothing
   * to mirror) leaves them to the mirror. The caller holds the vault's lock.
   *
   * @return the changes as recorded (numbered, with device and time); empty if there were none
   */
  List<Change> record(
      VaultName name,
      StagingBatch batch,
      List<NewChange> changes,
      String device,
      boolean alreadyOnDisk)
      throws IOException {
    return record(name, batch, changes, device, alreadyOnDisk, recorded -> List.of());
  }

  /** What a batch's recorded changes stand for as folder moves ({@code CommitPlan}). */
  @FunctionalInterface
  interface FolderMovesOf {
    List<Change> of(List<Change> recorded);
  }

  /**
   * As above, keeping the folder moves {@code folderMoves} makes of the recorded changes before
   * they are published, so a reader of folder moves gets each as one change.
   */
  List<Change> record(
      VaultName name,
      StagingBatch batch,
      List<NewChange> changes,
      String device,
      boolean alreadyOnDisk,
      FolderMovesOf folderMoves)
      throws IOException {
    if (changes.isEmpty()) {
      return List.of();
    }
    long headSeq = ledger.headSeq(name);
    batch.commit();
    hook.beforeLedgerCommit();
    List<Change> recorded = ledger.append(name, headSeq, changes, device, clock.instant());
    List<Change> moves = folderMoves.of(recorded);
    if (!moves.isEmpty()) {
      try {
        ledger.recordFolderMoves(name, moves);
      } catch (IOException e) {
        // The per-file moves are recorded: readers get them per file, which is also correct.
        log.warn("could not record the folder moves of vault {}: {}", name, e.toString());
      }
    }
    feed.published(name, recorded);
    long newHead = recorded.get(recorded.size() - 1).seq();
    try {
      signals.committed(name, newHead);
    } catch (IOException e) {
      // A hint only: the other processes' feeds also read the ledger every ChangeSignals.POLL.
      log.warn("could not signal seq {} of vault {} to the other servers: {}", newHead, name, e);
    }
    if (!folders.ownsMasterFolders()) {
      return recorded; // the owner of the folders catches up from the ledger
    }
    if (!alreadyOnDisk) {
      mirror.later(name, recorded);
    } else if (ledger.mirroredSeq(name) == headSeq) {
      // read from the folder, so in it; never past changes not yet written (MasterMirror)
      ledger.setMirroredSeq(name, newHead);
    }
    return recorded;
  }
}
