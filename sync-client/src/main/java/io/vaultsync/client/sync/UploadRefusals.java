package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.QuotaExceededException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads of one round that the server refuses for one of its limits (a file larger than it stores,
 * the vault's quota), or refused lately ({@link RefusedUploads}, kept across rounds and syncs):
 * each is reported as not synced, by name, with the server's reason, and the rest of the batch goes
 * on. Once the quota refused an upload, later uploads are not tried this round. Not thread-safe.
 */
final class UploadRefusals {
  private final RefusedUploads refusedUploads;
  private final RoundLedger ledger;

  /** The server refused an upload for the vault's quota: later uploads are not tried this round. */
  private QuotaExceededException quotaFull;

  private int quotaSkips;

  UploadRefusals(RefusedUploads refusedUploads, RoundLedger ledger) {
    this.refusedUploads = refusedUploads;
    this.ledger = ledger;
  }

  /**
   * Whether {@code u} is not tried this round (the quota is full, or the server refused the same
   * version lately); if so it is reported.
   */
  boolean holdsBack(SyncAction.Upload u) {
    if (quotaFull != null) {
      skipUpload(u.path(), u.local().hash(), quotaFull);
      return true;
    }
    String refusedLately = refusedUploads.reason(u.path(), u.local().hash());
    if (refusedLately != null) {
      ledger.skip(u.path(), NotSynced.Kind.SERVER, refusedLately);
      ledger.remoteDone(u.path());
      return true;
    }
    return false;
  }

  /** The server refused the upload of {@code path} (version {@code hash}) for the quota. */
  void quotaFull(NotePath path, ContentHash hash, QuotaExceededException e) {
    quotaFull = e;
    skipUpload(path, hash, e);
  }

  /**
   * The batch without the upload of {@code path}, which the server refused as too large (reported
   * as skipped, by name); the others are sent again. Rethrows if no upload of the batch has that
   * path (the server named another file: nothing sensible to retry).
   */
  List<BatchedMutation> without(List<BatchedMutation> batch, String path, FileTooLargeException e)
      throws FileTooLargeException {
    List<BatchedMutation> rest = new ArrayList<>(batch.size());
    boolean found = false;
    for (BatchedMutation p : batch) {
      if (p.upload() != null && p.mutation().path().value().equals(path)) {
        found = true;
        skipUpload(p.mutation().path(), p.upload().entry().hash(), e);
      } else {
        rest.add(p);
      }
    }
    if (!found) {
      throw e;
    }
    return rest;
  }

  /** The batch's moves and deletes: its uploads do not fit the vault's quota (skipped, by name). */
  List<BatchedMutation> withoutUploads(List<BatchedMutation> batch, QuotaExceededException e)
      throws QuotaExceededException {
    if (batch.stream().noneMatch(p -> p.upload() != null)) {
      throw e; // refused without an upload in it: nothing sensible to retry
    }
    quotaFull = e;
    List<BatchedMutation> rest = new ArrayList<>(batch.size());
    for (BatchedMutation p : batch) {
      if (p.upload() != null) {
        skipUpload(p.mutation().path(), p.upload().entry().hash(), e);
      } else {
        rest.add(p);
      }
    }
    return rest;
  }

  /**
   * Reports an upload the server refused for one of its limits as not synced, by name, with the
   * server's reason (the quota's long message once per round; the files after it point to it).
   */
  void skipUpload(NotePath path, ContentHash hash, IOException refusal) {
    String reason = "not uploaded: " + refusal.getMessage();
    if (refusal instanceof QuotaExceededException) {
      refusedUploads.remember(
          path,
          hash,
          "not uploaded: the vault's storage quota refused it a moment ago (tried again within "
              + RefusedUploads.FOR.toMinutes()
              + " minutes)");
      if (quotaSkips++ > 0) {
        reason = "not uploaded: the vault would go over its storage quota (see above)";
      }
    } else {
      refusedUploads.remember(path, hash, reason);
    }
    ledger.skip(path, NotSynced.Kind.SERVER, reason);
    ledger.remoteDone(path);
  }
}
