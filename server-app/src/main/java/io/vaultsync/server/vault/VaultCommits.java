package io.vaultsync.server.vault;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.rules.CommitPlan;
import io.vaultsync.protocol.rules.CommitRules;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.protocol.rules.RecentDeletes;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.limits.UploadLimits;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes: a commit (a batch of mutations) and a push (one file). The rules are {@link
 * CommitRules}'s; this class adds the server's storage to them: each put's delta is patched into
 * the content store, bounded by the largest file and the vault's quota, and the changes are
 * recorded ({@link ChangeRecorder}) under the vault's lock. A push patches its delta before taking
 * the lock, so a large upload does not block the vault. Thread-safe.
 */
final class VaultCommits {
  private static final Logger log = LoggerFactory.getLogger(VaultCommits.class);

  private final LedgerStore ledger;
  private final ContentStore store;
  private final VaultLocks locks;
  private final CommitRules rules;
  private final RecentDeletes recentDeletes;
  private final ContentUploads uploads;
  private final ChangeRecorder recorder;
  private final Clock clock;

  /** The largest file and the vaults' quotas (none until {@link #limitUploads} is called). */
  private volatile UploadLimits limits = UploadLimits.NONE;

  VaultCommits(
      LedgerStore ledger,
      ContentStore store,
      VaultLocks locks,
      CommitRules rules,
      RecentDeletes recentDeletes,
      ContentUploads uploads,
      ChangeRecorder recorder,
      Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.recentDeletes = Objects.requireNonNull(recentDeletes, "recentDeletes");
    this.uploads = Objects.requireNonNull(uploads, "uploads");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Bounds what commits and pushes store from now on. */
  void limitUploads(UploadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** See {@link io.vaultsync.protocol.VaultTransport#commit}. */
  List<Outcome> commit(String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(options, "options");
    CommitRules.checkBatchSize(mutations.size());
    VaultName name = VaultNames.parse(vault);
    UploadLimits limits = this.limits;
    VaultLock lock = locks.lock(name);
    lock.lock();
    try (StagingBatch batch = store.newBatch()) {
      ledger.headSeq(name); // NotFoundException for an unknown vault
      UploadLimits.Account account = limits.account(name);
      checkDeletes(name, mutations, options, device);
      CommitPlan plan =
          CommitRules.plan(
              LedgerHead.forCommit(ledger, name, mutations),
              mutations,
              options,
              (put, basis) -> {
                Basis b = uploads.basisOf(batch, name, basis);
                Staged staged =
                    uploads.stage(
                        batch,
                        name,
                        put.path(),
                        device,
                        b,
                        put.deltaStream(),
                        limits.maxFileBytes());
                account.add(staged.hash(), staged.size());
                return new CommitRules.Stored(staged.hash(), staged.size());
              });
      for (Outcome o : plan.refusals()) {
        if (o instanceof Outcome.Refused r) {
          logRefused(name, r.path(), r.reason(), device);
        }
      }
      List<Change> recorded =
          recorder.record(name, batch, plan.changes(), device, false, plan::folderMoves);
      account.recorded();
      return plan.outcomes(recorded);
    } finally {
      lock.unlock();
    }
  }

  /** {@link CommitRules#checkDeletes}, logging a refusal. The caller holds the vault's lock. */
  private void checkDeletes(
      VaultName name, List<Mutation> mutations, CommitOptions options, String device)
      throws IOException {
    try {
      rules.checkDeletes(
          name.value(),
          device,
          mutations,
          options,
          recentDeletes,
          clock.millis(),
          () -> fileCount(name));
    } catch (MassDeleteRefusedException e) {
      log.warn(
          "refused a commit of {} deletes ({} in the last minute) of {} files in vault {} from"
              + " device {}: mass delete",
          mutations.stream().filter(m -> m instanceof Mutation.Delete).count(),
          e.deletes(),
          e.files(),
          name,
          device);
      throw e;
    }
  }

  /** The number of files at the head of {@code vault}. */
  private long fileCount(VaultName vault) throws IOException {
    return ledger.vaults().stream()
        .filter(v -> v.name().equals(vault.value()))
        .mapToLong(VaultInfo::files)
        .findFirst()
        .orElse(0);
  }

  /** See {@link io.vaultsync.protocol.VaultTransport#push}. */
  RemoteEntry push(String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(device, "device");
    VaultName name = VaultNames.parse(vault);
    // before the upload is patched: it would be in vain
    RemoteEntry before = checkPush(name, path, base, device);
    UploadLimits limits = this.limits;
    try (StagingBatch batch = store.newBatch()) {
      Basis basis = uploads.basisOf(batch, name, before);
      Staged staged = uploads.stage(batch, name, path, device, basis, delta, limits.maxFileBytes());
      VaultLock lock = locks.lock(name);
      lock.lock();
      try {
        checkPush(name, path, base, device);
        UploadLimits.Account account = limits.account(name);
        account.add(staged.hash(), staged.size());
        List<Change> changes =
            recorder.record(
                name,
                batch,
                List.of(NewChange.put(path, staged.hash(), staged.size())),
                device,
                false);
        account.recorded();
        Change c = changes.get(0);
        return new RemoteEntry(c.path(), c.hash(), c.size(), c.seq());
      } finally {
        lock.unlock();
      }
    } catch (NoSuchFileException | DamagedContentException e) {
      throw new NotFoundException(
          "base version " + base.hex() + " is not stored in vault " + vault);
    }
  }

  /** {@link CommitRules#checkPush} against the ledger's head, logging a refused path. */
  private RemoteEntry checkPush(VaultName name, NotePath path, ContentHash base, String device)
      throws IOException {
    try {
      return CommitRules.checkPush(name.value(), LedgerHead.of(ledger, name), path, base);
    } catch (PathRefusedException e) {
      logRefused(name, path, e.reason(), device);
      throw e;
    }
  }

  /** Logs a mutation refused by the tree rules; the ledger gets nothing for it. */
  private static void logRefused(VaultName name, NotePath path, String reason, String device) {
    log.info("refused {} in vault {} from device {}: {}", path, name, device, reason);
  }
}
