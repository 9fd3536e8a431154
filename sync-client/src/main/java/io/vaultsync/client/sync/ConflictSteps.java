package io.vaultsync.client.sync;

import io.vaultsync.client.merge.MergeResult;
import io.vaultsync.client.merge.TextFiles;
import io.vaultsync.client.merge.TextMerge;
import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The steps of a round for a file changed on both sides: a three-way merge of text, or, when the
 * merge is not clean (or the file is not text, or too large), both versions kept: the local one as
 * a conflict copy beside the remote one. What must then go to the server (the merge, the copy) is
 * added to the round's uploads. Never loses either side.
 */
final class ConflictSteps {
  private final Round round;
  private final Clock clock;

  /** {@code clock} names conflict copies. */
  ConflictSteps(Round round, Clock clock) {
    this.round = round;
    this.clock = clock;
  }

  void merge(SyncAction.Merge m, List<SyncAction.Upload> uploads) throws IOException {
    if (m.local().size() > TextFiles.MAX_MERGE_BYTES
        || m.remote().size() > TextFiles.MAX_MERGE_BYTES) {
      keepBoth(m.path(), m.local(), m.remote(), uploads);
      return;
    }
    Path file = round.files().file(m.path(), false);
    byte[] local = readVerified(m.path(), file, m.local());
    byte[] base =
        m.base() == null
            ? new byte[0]
            : Transfers.fetchBytes(round.transport(), round.vault(), m.base(), null, new byte[0]);
    byte[] remote =
        Transfers.fetchBytes(round.transport(), round.vault(), m.remote().hash(), m.base(), base);
    round.tally().down();
    if (!TextFiles.isText(base) || !TextFiles.isText(local) || !TextFiles.isText(remote)) {
      keepBoth(m.path(), m.local(), m.remote(), uploads);
      return;
    }
    MergeResult result = TextMerge.merge(base, local, remote);
    if (!result.isClean()) {
      keepBoth(m.path(), m.local(), m.remote(), uploads);
      return;
    }
    byte[] merged = result.bytes();
    ContentHash mergedHash = ContentHash.digestOf(merged);
    ManifestEntry seen = round.seen().at(m.path());
    round
        .files()
        .writeAtomically(
            file,
            out -> {
              out.write(merged);
              out.flush();
              Transfers.requireUnchanged(m.path(), file, seen);
              return null;
            });
    KeptSignature remoteSig =
        KeptSignature.of(
            SignatureBuilder.of(remote, SignatureParams.forBasisLength(remote.length)));
    BasicFileAttributes a = SafeFiles.attributes(file);
    boolean sameAsRemote = mergedHash.equals(m.remote().hash());
    // The base becomes the remote version; unless the merge equals it, the file is a local edit
    // of it (mtime MIN_VALUE forces the next scan to hash it) and is uploaded below.
    round
        .index()
        .put(
            new IndexEntry(
                m.path(),
                remote.length,
                sameAsRemote ? a.lastModifiedTime().toMillis() : Long.MIN_VALUE,
                m.remote().hash(),
                remoteSig));
    round.tally().merged();
    round.tally().absorbed.add(m.local().hash());
    if (!sameAsRemote) {
      uploads.add(
          new SyncAction.Upload(
              m.path(), m.remote().hash(), new Version(mergedHash, merged.length)));
    }
  }

  private static byte[] readVerified(NotePath path, Path file, Version expected)
      throws IOException {
    byte[] data;
    try (InputStream in = SafeFiles.open(file)) {
      data = in.readNBytes(TextFiles.MAX_MERGE_BYTES + 1);
    }
    if (data.length != expected.size() || !ContentHash.digestOf(data).equals(expected.hash())) {
      throw new ChangedMeanwhileException(path + " changed locally meanwhile");
    }
    return data;
  }

  /**
   * Keeps the local version as a conflict copy (written first, from the verified local bytes, so it
   * exists before the original is replaced), then downloads the remote version to the path. If the
   * download fails otherwise than by a local change (a full disk, a lost connection), the original
   * is untouched and the copy is removed again: left behind, the next sync would read it as a new
   * local file and keep the same conflict a second time.
   */
  void keepBoth(NotePath path, Version local, Version remote, List<SyncAction.Upload> uploads)
      throws IOException {
    SafeFiles files = round.files();
    Path file = files.file(path, false);
    ManifestEntry seen = round.seen().at(path);
    Transfers.requireUnchanged(path, file, seen);
    NotePath copy =
        ConflictNames.next(path, round.device(), ZonedDateTime.now(clock), p -> taken(p));
    Path copyFile = files.file(copy, true);
    files.writeAtomically(
        copyFile,
        out -> {
          MessageDigest md = ContentHash.newDigest();
          try (InputStream in = SafeFiles.open(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
              out.write(buf, 0, n);
              md.update(buf, 0, n);
            }
          }
          if (!ContentHash.finish(md).equals(local.hash())) {
            throw new ChangedMeanwhileException(path + " changed locally meanwhile");
          }
          if (SafeFiles.attributes(copyFile) != null) {
            throw new ChangedMeanwhileException(copy + " appeared locally meanwhile");
          }
          return null;
        });
    IndexEntry downloaded;
    try {
      downloaded =
          round.transfers().download(round.transport(), round.vault(), path, remote, null, seen);
    } catch (ChangedMeanwhileException e) {
      round.tally().conflict(copy); // the original changed again: keep (and upload) the copy
      uploads.add(new SyncAction.Upload(copy, null, local));
      throw e;
    } catch (IOException | RuntimeException e) {
      removeCopy(copyFile, local, e);
      throw e;
    }
    round.tally().conflict(copy);
    uploads.add(new SyncAction.Upload(copy, null, local));
    round.index().put(downloaded);
    round.tally().down();
  }

  /** Removes the conflict copy a failed step wrote, if it still holds what was written. */
  private static void removeCopy(Path copyFile, Version local, Exception failure) {
    try {
      if (local.hash().equals(SafeFiles.hash(copyFile))) {
        Files.delete(copyFile);
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private boolean taken(NotePath p) {
    try {
      return round.index().get(p) != null
          || round.seen().scanned(p)
          || SafeFiles.attributes(round.files().locate(p)) != null;
    } catch (IOException e) {
      return true;
    }
  }
}
