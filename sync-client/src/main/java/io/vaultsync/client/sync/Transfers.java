package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.SyncProtocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Moves content between a local file and the server as deltas: uploads are encoded against the
 * signature the index kept of the base (nothing downloaded first); downloads are patched onto the
 * local file the server was told about, into a temporary file renamed over the target only once the
 * whole-file hash checked out. Both compute the signature of the new version on the way, for the
 * next upload.
 */
final class Transfers {
  /** Files up to this size are encoded in memory and sent inline in a batch. */
  static final int INLINE_FILE_LIMIT = Limits.INLINE_DELTA_BYTES - 64 * 1024;

  private static final Signature EMPTY =
      SignatureBuilder.of(new byte[0], SignatureParams.forBasisLength(0));

  private final SafeFiles files;
  private final Path tempDir;

  /**
   * One read buffer for every file this round reads (an init reads 50,000: 3 GiB not allocated).
   */
  private final byte[] buffer = new byte[64 * 1024];

  Transfers(SafeFiles files, Path tempDir) {
    this.files = files;
    this.tempDir = tempDir;
  }

  /**
   * Reads the local file once, hashing what it encodes, and checks it is still {@code expected} and
   * did not change while being read; a torn read is never uploaded.
   *
   * @param baseSignature the kept signature of {@code base}, or null to encode against nothing
   * @throws ChangedMeanwhileException if the file is not {@code expected} or changed while read
   */
  PreparedUpload prepareUpload(
      NotePath path, ContentHash base, KeptSignature baseSignature, Version expected)
      throws IOException {
    Path file = files.file(path, false);
    BasicFileAttributes before = SafeFiles.attributes(file);
    if (before == null || before.size() != expected.size()) {
      throw new ChangedMeanwhileException(path + " changed since it was scanned");
    }
    Signature sig = base != null && baseSignature != null ? baseSignature.signature() : EMPTY;
    boolean inline = before.size() <= INLINE_FILE_LIMIT;
    Path spill = inline ? null : Files.createTempFile(tempDir, ".vstmp-up-", ".delta");
    try {
      ByteArrayOutputStream memory = inline ? new ByteArrayOutputStream() : null;
      OutputStream deltaOut =
          inline ? memory : new BufferedOutputStream(Files.newOutputStream(spill), 64 * 1024);
      SignatureBuilder next = new SignatureBuilder(SignatureParams.forBasisLength(before.size()));
      long read = 0;
      TargetHashSink sink;
      try (InputStream in = SafeFiles.open(file);
          OutputStream out = deltaOut) {
        sink = new TargetHashSink(new DeltaWriter(out));
        DeltaEncoder encoder = new DeltaEncoder(sig, sink);
        byte[] buf = buffer;
        for (int n; (n = in.read(buf)) > 0; ) {
          encoder.update(buf, 0, n);
          next.update(buf, 0, n);
          read += n;
        }
        encoder.finish();
      }
      BasicFileAttributes after = SafeFiles.attributes(file);
      // the hash the delta declares, computed by the encoder over the bytes read (one pass)
      ContentHash sent = sink.targetHash();
      if (after == null
          || after.size() != read
          || read != expected.size()
          || !after.lastModifiedTime().equals(before.lastModifiedTime())
          || !sent.equals(expected.hash())) {
        throw new ChangedMeanwhileException(path + " changed while it was read");
      }
      IndexEntry entry =
          new IndexEntry(
              path,
              read,
              after.lastModifiedTime().toMillis(),
              sent,
              KeptSignature.of(next.finish()));
      if (inline && memory.size() <= Limits.INLINE_DELTA_BYTES) {
        return new PreparedUpload(
            path, base, entry, new Mutation.Put(path, base, memory.toByteArray()), null);
      }
      if (inline) {
        spill = Files.createTempFile(tempDir, ".vstmp-up-", ".delta");
        Files.write(spill, memory.toByteArray());
      }
      PreparedUpload p = new PreparedUpload(path, base, entry, null, spill);
      spill = null;
      return p;
    } finally {
      if (spill != null) {
        Files.deleteIfExists(spill);
      }
    }
  }

  /**
   * Fetches {@code remote} as a delta against {@code localBase} (the local file's current content,
   * null: nothing) and writes it atomically at {@code path}. Right before the rename it checks that
   * the local file is still what it was ({@code expectedLocal}: its size and mtime; null: absent).
   *
   * @return the index entry of the written file
   */
  IndexEntry download(
      SyncProtocol transport,
      String vault,
      NotePath path,
      Version remote,
      ContentHash localBase,
      ManifestEntry expectedLocal)
      throws IOException {
    Path file = files.file(path, true);
    requireUnchanged(path, file, expectedLocal);
    Path delta = Files.createTempFile(tempDir, ".vstmp-down-", ".delta");
    try {
      try (OutputStream out = new RestartableDeltaFile(delta)) {
        transport.fetch(vault, remote.hash(), localBase, out);
      } catch (ConnectionLostException e) {
        throw named(e, path);
      } catch (RemoteStalledException e) {
        RemoteStalledException named =
            new RemoteStalledException("downloading " + path, e.silence());
        named.initCause(e);
        throw named;
      }
      SignatureBuilder next = new SignatureBuilder(SignatureParams.forBasisLength(remote.size()));
      try (FileChannel basis = localBase == null ? null : openBasis(file);
          InputStream in = new BufferedInputStream(Files.newInputStream(delta), 64 * 1024)) {
        Basis b = basis == null ? Basis.of(new byte[0]) : Basis.of(basis);
        files.writeAtomically(
            file,
            out -> {
              Patcher patcher = new Patcher(b, new SigningOutputStream(out, next));
              try {
                DeltaReader.read(in, patcher);
              } catch (io.vaultsync.core.format.FormatException e) {
                throw new DamagedDownloadException(
                    "the server sent a malformed delta for " + path + ": " + e.getMessage(), e);
              }
              if (!remote.hash().equals(patcher.verifiedHash())) {
                throw new DamagedDownloadException(
                    "the server sent content "
                        + patcher.verifiedHash()
                        + " for "
                        + remote.hash()
                        + ", damaged",
                    null);
              }
              out.flush();
              requireUnchanged(path, file, expectedLocal);
              return null;
            });
      }
      BasicFileAttributes a = SafeFiles.attributes(file);
      return new IndexEntry(
          path,
          remote.size(),
          a.lastModifiedTime().toMillis(),
          remote.hash(),
          KeptSignature.of(next.finish()));
    } finally {
      Files.deleteIfExists(delta);
    }
  }

  /**
   * The round's read buffer; only for a caller on the round's thread that is done before return.
   */
  byte[] readBuffer() {
    return buffer;
  }

  /** Fetches a whole version into memory (for merges; bounded by the caller). */
  static byte[] fetchBytes(
      SyncProtocol transport, String vault, ContentHash target, ContentHash base, byte[] basis)
      throws IOException {
    RestartableBuffer delta = new RestartableBuffer();
    transport.fetch(vault, target, base, delta);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(basis), out);
    DeltaReader.read(new ByteArrayInputStream(delta.toByteArray()), patcher);
    if (!target.equals(patcher.verifiedHash())) {
      throw new IOException("fetched version " + patcher.verifiedHash() + "; expected " + target);
    }
    return out.toByteArray();
  }

  /** A memory buffer a retried fetch may write again from the start. */
  private static final class RestartableBuffer extends ByteArrayOutputStream
      implements io.vaultsync.protocol.RestartableOutput {
    @Override
    public void restart() {
      reset();
    }
  }

  /** {@code e} naming the file whose download it cut (the transport knows only its hash). */
  private static ConnectionLostException named(ConnectionLostException e, NotePath path) {
    ConnectionLostException out = new ConnectionLostException("downloading " + path, e.detail());
    out.initCause(e);
    return out;
  }

  private static FileChannel openBasis(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Throws unless {@code file} is as the scan saw it: same size and mtime, or still absent. A
   * rename onto the file can still race this check; the window is a few microseconds, and the scan
   * after the next edit finds such a file changed again.
   */
  static void requireUnchanged(NotePath path, Path file, ManifestEntry expected)
      throws IOException {
    BasicFileAttributes now = SafeFiles.attributes(file);
    if (expected == null) {
      if (now != null) {
        throw new ChangedMeanwhileException(path + " appeared locally meanwhile");
      }
      return;
    }
    if (now == null
        || !now.isRegularFile()
        || now.size() != expected.size()
        || now.lastModifiedTime().toMillis() != expected.mtimeMillis()) {
      throw new ChangedMeanwhileException(path + " changed locally meanwhile");
    }
  }
}
