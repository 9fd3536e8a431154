package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.SyncProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The remote steps of one round, in {@link SyncProtocol#commit} batches: moves, then deletes, then
 * uploads (files too large for a batch are streamed with {@link SyncProtocol#push}). Each step
 * checks again that the local file is still the version the plan saw, and is skipped otherwise.
 *
 * <p>A move with an edit is a {@link Mutation.Move} then a {@link Mutation.Put} at the destination
 * with the moved version as base, in that order (the server applies a batch in order), the delta
 * encoded against the kept signature of the move's source.
 *
 * <p>Deletes the server refuses as a mass delete ({@link MassDeleteRefusedException}) are held back
 * and named, and the batch is sent again without them; uploads refused for a limit are left out the
 * same way ({@link UploadRefusals}). Not thread-safe.
 */
final class RemoteSteps {
  static final int MAX_BATCH_MUTATIONS = Limits.COMMIT_MUTATIONS;
  static final int MAX_BATCH_BYTES = Limits.INLINE_DELTA_BYTES;

  private final Round round;
  private final CommitOptions commitOptions;
  private final UploadRefusals refusals;
  private final OutcomeRecorder outcomes;

  /** Destination → source of this round's moves on the server (a move with an edit uploads). */
  private final Map<NotePath, NotePath> movingTo = new HashMap<>();

  private int committedBatches;

  RemoteSteps(Round round, CommitOptions commitOptions, RefusedUploads refusedUploads) {
    this.round = round;
    this.commitOptions = commitOptions;
    this.refusals = new UploadRefusals(refusedUploads, round.ledger());
    this.outcomes = new OutcomeRecorder(round);
  }

  void run(List<SyncAction> moves, List<SyncAction> deletes, List<SyncAction.Upload> uploads)
      throws IOException {
    SafeFiles files = round.files();
    RoundLedger ledger = round.ledger();
    List<BatchedMutation> batch = new ArrayList<>();
    long bytes = 0;
    for (SyncAction a : moves) {
      SyncAction.MoveRemote m = (SyncAction.MoveRemote) a;
      try {
        Transfers.requireUnchanged(m.to(), files.file(m.to(), false), round.seen().at(m.to()));
        Transfers.requireUnchanged(m.path(), files.file(m.path(), false), null);
      } catch (ChangedMeanwhileException | UnsafePathException e) {
        ledger.skip(m.path(), e.getMessage());
        continue;
      }
      batch.add(new BatchedMutation(new Mutation.Move(m.path(), m.to(), m.hash()), null));
      movingTo.put(m.to(), m.path());
    }
    for (SyncAction a : deletes) {
      SyncAction.DeleteRemote d = (SyncAction.DeleteRemote) a;
      try {
        Transfers.requireUnchanged(d.path(), files.file(d.path(), false), null);
      } catch (ChangedMeanwhileException | UnsafePathException e) {
        ledger.skip(d.path(), e.getMessage());
        continue;
      }
      batch.add(new BatchedMutation(new Mutation.Delete(d.path(), d.expected()), null));
    }
    Set<NotePath> queued = new HashSet<>();
    for (SyncAction.Upload u : uploads) {
      if (!queued.add(u.path()) || refusals.holdsBack(u)) {
        continue;
      }
      PreparedUpload p;
      try {
        p = round.transfers().prepareUpload(u.path(), u.base(), baseSignature(u), u.local());
      } catch (ChangedMeanwhileException | UnsafePathException | FileSystemException e) {
        ledger.skip(u.path(), e.getMessage());
        continue;
      }
      if (p.put() == null) {
        if (movingTo.containsKey(p.path()) && !batch.isEmpty()) {
          commit(batch); // the move must reach the server before the push at its destination
          batch.clear();
          bytes = 0;
        }
        push(p);
        continue;
      }
      if (batch.size() >= MAX_BATCH_MUTATIONS || bytes + p.put().deltaLength() > MAX_BATCH_BYTES) {
        commit(batch);
        batch.clear();
        bytes = 0;
      }
      batch.add(new BatchedMutation(p.put(), p));
      bytes += p.put().deltaLength();
    }
    if (!batch.isEmpty()) {
      commit(batch);
    }
  }

  /**
   * The kept signature of the version {@code u} replaces: the index's at its path, or, when a move
   * of this round brings that version to the path, the one kept at the move's source; null (encode
   * against nothing) if neither holds it.
   */
  private KeptSignature baseSignature(SyncAction.Upload u) {
    if (u.base() == null) {
      return null;
    }
    IndexEntry base = round.index().get(u.path());
    if (base == null && movingTo.containsKey(u.path())) {
      base = round.index().get(movingTo.get(u.path()));
    }
    return base != null && base.hash().equals(u.base()) ? base.signature() : null;
  }

  /**
   * Commits one batch and records its outcomes in the index (in memory). The index file is written
   * between batches, so a large upload interrupted halfway keeps what was acknowledged, and once at
   * the end of the round: a one-batch sync (a live edit) writes it once, not twice.
   *
   * <p>When the server refuses the batch as a mass delete, its deletes are held back (named, left
   * for the next sync, their index entries kept) and the rest is sent again without them: a refusal
   * never blocks the uploads and moves of the same sync. The same for a file larger than the server
   * stores (that upload is left out) and for the vault's quota (the batch's uploads are left out,
   * no more are tried this round).
   */
  private void commit(List<BatchedMutation> batch) throws IOException {
    if (committedBatches++ > 0) {
      round.state().writeIndex(round.index()); // the previous batch's outcomes
    }
    List<BatchedMutation> left = batch;
    boolean resentWhole = false;
    while (!left.isEmpty()) {
      List<Outcome> answer;
      try {
        answer = send(left);
      } catch (MassDeleteRefusedException e) {
        left = withoutDeletes(left, e);
        continue;
      } catch (FileTooLargeException e) {
        left = refusals.without(left, e.path(), e);
        continue;
      } catch (QuotaExceededException e) {
        left = refusals.withoutUploads(left, e);
        continue;
      } catch (NotFoundException e) {
        // The server lacks the base of an upload (lost or damaged there): its delta cannot be
        // applied, but the whole content sent against nothing can. Once, for this batch.
        List<BatchedMutation> whole = resentWhole ? null : againstNothing(left);
        if (whole == null) {
          throw e; // no upload had a base: it is the vault that is gone
        }
        resentWhole = true;
        left = whole;
        continue;
      }
      outcomes.record(left, answer);
      return;
    }
  }

  /**
   * The batch without its deletes, which the server refused as a mass delete: they are held back
   * (named, left for the next sync, their index entries kept) and the rest is sent again. Rethrows
   * when mass deletes were allowed or the batch has no delete.
   */
  private List<BatchedMutation> withoutDeletes(
      List<BatchedMutation> batch, MassDeleteRefusedException e) throws MassDeleteRefusedException {
    List<BatchedMutation> deletes =
        batch.stream().filter(p -> p.mutation() instanceof Mutation.Delete).toList();
    if (commitOptions.allowMassDelete() || deletes.isEmpty()) {
      throw e;
    }
    GuardRefusal refusal =
        GuardRefusal.ofServer(e, deletes.stream().map(p -> p.mutation().path()).toList());
    String why = refusal.describe(round.files().root().toString());
    for (BatchedMutation d : deletes) {
      round.ledger().skip(d.mutation().path(), NotSynced.Kind.HELD_BACK, why);
      round.ledger().remoteDone(d.mutation().path());
    }
    return batch.stream().filter(p -> !(p.mutation() instanceof Mutation.Delete)).toList();
  }

  /**
   * Sends {@code batch}, a folder rename as one {@link Mutation.MoveFolder} when the server takes
   * them ({@link FolderMoveBatch}); a folder move the server does not apply (the rename was
   * partial) is sent again as its per-file moves.
   */
  private List<Outcome> send(List<BatchedMutation> batch) throws IOException {
    SyncProtocol transport = round.transport();
    List<Mutation> mutations = batch.stream().map(BatchedMutation::mutation).toList();
    FolderMoveBatch folders =
        transport.takesFolderMoves()
            ? FolderMoveBatch.of(
                mutations,
                p -> {
                  IndexEntry e = round.index().get(p);
                  return e != null ? e.size() : 0;
                })
            : null;
    if (folders == null || !folders.grouped()) {
      return transport.commit(round.vault(), mutations, round.device(), commitOptions);
    }
    List<Outcome> out =
        new ArrayList<>(
            folders.outcomes(
                transport.commit(
                    round.vault(), folders.mutations(), round.device(), commitOptions)));
    List<Integer> again = FolderMoveBatch.retry(out);
    if (!again.isEmpty()) {
      List<Outcome> perFile =
          transport.commit(
              round.vault(),
              again.stream().map(mutations::get).toList(),
              round.device(),
              commitOptions);
      for (int i = 0; i < again.size(); i++) {
        out.set(again.get(i), perFile.get(i));
      }
    }
    return out;
  }

  /**
   * {@code batch} with every upload that has a base encoded again against nothing (read again from
   * disk; a file that changed meanwhile is left for the next sync), or null if none has a base.
   */
  private List<BatchedMutation> againstNothing(List<BatchedMutation> batch) throws IOException {
    if (batch.stream().noneMatch(p -> p.upload() != null && p.upload().base() != null)) {
      return null;
    }
    List<BatchedMutation> out = new ArrayList<>(batch.size());
    for (BatchedMutation p : batch) {
      if (p.upload() == null || p.upload().base() == null) {
        out.add(p);
        continue;
      }
      PreparedUpload whole = wholeContent(p.upload());
      if (whole == null) {
        continue;
      }
      if (whole.put() == null) {
        push(whole);
        continue;
      }
      out.add(new BatchedMutation(whole.put(), whole));
    }
    return out;
  }

  /** {@code u} encoded again against nothing, or null (left for the next sync) if it changed. */
  private PreparedUpload wholeContent(PreparedUpload u) throws IOException {
    try {
      return round
          .transfers()
          .prepareUpload(u.path(), u.base(), null, new Version(u.entry().hash(), u.entry().size()));
    } catch (ChangedMeanwhileException | UnsafePathException | FileSystemException e) {
      round.ledger().skip(u.path(), e.getMessage());
      round.ledger().remoteDone(u.path());
      return null;
    }
  }

  private void push(PreparedUpload p) throws IOException {
    SyncProtocol transport = round.transport();
    RoundLedger ledger = round.ledger();
    try (InputStream in = Files.newInputStream(p.deltaFile())) {
      RemoteEntry e;
      try {
        e = transport.push(round.vault(), p.path(), p.base(), in, round.device());
      } catch (NotFoundException missingBase) {
        if (p.base() == null) {
          throw missingBase;
        }
        // As in commit: the server lacks the base; send the content against nothing, once.
        PreparedUpload whole = wholeContent(p);
        if (whole == null) {
          return;
        }
        if (whole.put() != null) {
          commit(new ArrayList<>(List.of(new BatchedMutation(whole.put(), whole))));
          return;
        }
        try (InputStream again = Files.newInputStream(whole.deltaFile())) {
          e = transport.push(round.vault(), p.path(), p.base(), again, round.device());
          round.index().put(whole.entry());
        } finally {
          Files.deleteIfExists(whole.deltaFile());
        }
        ledger.applied(e.seq());
        round.tally().up();
        round.state().writeIndex(round.index());
        return;
      }
      ledger.applied(e.seq());
      round.index().put(p.entry());
      round.tally().up();
      round.state().writeIndex(round.index());
    } catch (StaleVersionException e) {
      ledger.stale();
    } catch (FileTooLargeException e) {
      refusals.skipUpload(p.path(), p.entry().hash(), e);
    } catch (QuotaExceededException e) {
      refusals.quotaFull(p.path(), p.entry().hash(), e);
    } catch (PathRefusedException e) {
      ledger.refused(p.path(), e.reason());
    } finally {
      Files.deleteIfExists(p.deltaFile());
      ledger.remoteDone(p.path());
    }
  }
}
