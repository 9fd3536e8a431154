package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;

/**
 * The plain local steps of a round: record a version both sides agree on, download one file, delete
 * or move a local file. Each checks the file again right before acting ({@link
 * ChangedMeanwhileException} otherwise), writes atomically and records the result in the index.
 */
final class LocalSteps {
  private final Round round;

  LocalSteps(Round round) {
    this.round = round;
  }

  /** Records the version both sides agree on (hashing and signing the local file again). */
  void record(SyncAction.Record r) throws IOException {
    if (r.now() == null) {
      round.index().remove(r.path());
      return;
    }
    Path file = round.files().file(r.path(), false);
    SignatureBuilder sig = new SignatureBuilder(SignatureParams.forBasisLength(r.now().size()));
    MessageDigest md = ContentHash.newDigest();
    BasicFileAttributes before = SafeFiles.attributes(file);
    long n = 0;
    try (InputStream in = SafeFiles.open(file)) {
      byte[] buf = round.transfers().readBuffer();
      for (int k; (k = in.read(buf)) > 0; ) {
        sig.update(buf, 0, k);
        md.update(buf, 0, k);
        n += k;
      }
    }
    BasicFileAttributes after = SafeFiles.attributes(file);
    if (before == null
        || after == null
        || n != r.now().size()
        || !after.lastModifiedTime().equals(before.lastModifiedTime())
        || !ContentHash.finish(md).equals(r.now().hash())) {
      throw new ChangedMeanwhileException(r.path() + " changed while it was read");
    }
    round
        .index()
        .put(
            new IndexEntry(
                r.path(),
                n,
                after.lastModifiedTime().toMillis(),
                r.now().hash(),
                KeptSignature.of(sig.finish())));
  }

  /** Downloads one file (a large one; small ones go through a {@link DownloadQueue}). */
  void download(SyncAction.Download d) throws IOException {
    round
        .index()
        .put(
            round
                .transfers()
                .download(
                    round.transport(),
                    round.vault(),
                    d.path(),
                    d.remote(),
                    d.localBase(),
                    round.seen().at(d.path())));
    round.tally().down();
  }

  void deleteLocal(SyncAction.DeleteLocal d) throws IOException {
    Path file = round.files().file(d.path(), false);
    Transfers.requireUnchanged(d.path(), file, round.seen().at(d.path()));
    if (!d.expected().equals(SafeFiles.hash(file))) {
      throw new ChangedMeanwhileException(d.path() + " changed locally meanwhile");
    }
    Files.delete(file);
    AtomicFiles.fsyncDirectory(file.getParent());
    round.index().remove(d.path());
    round.files().pruneEmptyParents(d.path());
    round.tally().deleted();
  }

  void moveLocal(SyncAction.MoveLocal m) throws IOException {
    Path from = round.files().file(m.path(), false);
    Transfers.requireUnchanged(m.path(), from, round.seen().at(m.path()));
    Path to = round.files().file(m.to(), true);
    Transfers.requireUnchanged(m.to(), to, null);
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(to.getParent());
    AtomicFiles.fsyncDirectory(from.getParent());
    IndexEntry old = round.index().get(m.path());
    BasicFileAttributes a = SafeFiles.attributes(to);
    round.index().remove(m.path());
    round
        .index()
        .put(
            old != null && old.hash().equals(m.hash())
                ? old.movedTo(m.to(), a.lastModifiedTime().toMillis())
                : new IndexEntry(m.to(), a.size(), Long.MIN_VALUE, m.hash(), null));
    round
        .seen()
        .movedHere(new ManifestEntry(m.to(), a.size(), a.lastModifiedTime().toMillis(), m.hash()));
    round.files().pruneEmptyParents(m.path());
    round.tally().moved();
  }
}
