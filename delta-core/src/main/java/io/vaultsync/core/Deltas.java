package io.vaultsync.core;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.ParallelDeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.format.SignatureFormat;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;

/**
 * The whole-stream convenience layer over the incremental engine: signature, delta and patch of
 * streams and files, in rdiff's three steps. Streams are read in {@value #BUFFER}-byte pieces;
 * nothing reads a whole input into memory.
 */
public final class Deltas {
  static final int BUFFER = 256 * 1024;

  private Deltas() {}

  /** The signature of {@code basis} with the given parameters. */
  public static Signature signature(InputStream basis, SignatureParams params) throws IOException {
    return signature(basis, params, null);
  }

  /** As {@link #signature(InputStream, SignatureParams)}, hashing on {@code executor} too. */
  public static Signature signature(
      InputStream basis, SignatureParams params, ExecutorService executor) throws IOException {
    SignatureBuilder builder = new SignatureBuilder(params, executor);
    byte[] buf = new byte[executor == null ? BUFFER : 4 * BUFFER];
    for (int n; (n = basis.read(buf)) >= 0; ) {
      builder.update(buf, 0, n);
    }
    return builder.finish();
  }

  /** The signature of a file, with parameters from its length unless {@code blockLength > 0}. */
  public static Signature signature(Path basis, int blockLength) throws IOException {
    return signature(basis, blockLength, null);
  }

  /** As {@link #signature(Path, int)}, hashing on {@code executor} too (null: one thread). */
  public static Signature signature(Path basis, int blockLength, ExecutorService executor)
      throws IOException {
    long size = Files.size(basis);
    SignatureParams params =
        blockLength > 0
            ? SignatureParams.withBlockLength(size, blockLength)
            : SignatureParams.forBasisLength(size);
    try (InputStream in = Files.newInputStream(basis)) {
      return signature(in, params, executor);
    }
  }

  /** Writes the signature file format. */
  public static void writeSignature(Signature signature, OutputStream out) throws IOException {
    SignatureFormat.write(signature, out);
  }

  /** Reads the signature file format. */
  public static Signature readSignature(InputStream in) throws IOException {
    return SignatureFormat.read(new BufferedInputStream(in, 64 * 1024));
  }

  /** Encodes {@code target} against {@code signature} into {@code deltaOut} (not closed). */
  public static DeltaStats delta(Signature signature, InputStream target, OutputStream deltaOut)
      throws IOException {
    DeltaWriter writer = new DeltaWriter(deltaOut);
    DeltaEncoder encoder = new DeltaEncoder(signature, writer);
    byte[] buf = new byte[BUFFER];
    for (int n; (n = target.read(buf)) >= 0; ) {
      encoder.update(buf, 0, n);
    }
    encoder.finish();
    return writer.stats();
  }

  /**
   * The delta that makes {@code target} from {@code basis}, both held in memory (an empty basis: a
   * new file's delta, all literal). For notes and tests; large files go through the streams.
   */
  public static byte[] delta(byte[] basis, byte[] target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      delta(
          SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length)),
          new ByteArrayInputStream(target),
          out);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory streams do not fail", e);
    }
    return out.toByteArray();
  }

  /**
   * As {@link #delta(Signature, InputStream, OutputStream)}, matching segments of the target on
   * {@code executor}'s threads (see {@link ParallelDeltaEncoder}); null runs on one thread.
   */
  public static DeltaStats delta(
      Signature signature, InputStream target, OutputStream deltaOut, ExecutorService executor)
      throws IOException {
    if (executor == null) {
      return delta(signature, target, deltaOut);
    }
    DeltaWriter writer = new DeltaWriter(deltaOut);
    new ParallelDeltaEncoder(signature, executor, ParallelDeltaEncoder.DEFAULT_SEGMENT, 3)
        .encode(target, writer);
    return writer.stats();
  }

  /**
   * Applies the delta read from {@code delta} to {@code basis}, streaming the output to {@code
   * out}; returns the output's verified hash. On failure {@code out} may hold a partial output.
   */
  public static ContentHash patch(Basis basis, InputStream delta, OutputStream out)
      throws IOException {
    return patch(basis, delta, out, null);
  }

  /**
   * What {@code delta} makes of {@code basis}, both held in memory, its whole-file hash checked.
   *
   * @throws io.vaultsync.core.format.FormatException if the delta is corrupt or does not fit {@code
   *     basis}
   */
  public static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    patch(Basis.of(basis), new ByteArrayInputStream(delta), out);
    return out.toByteArray();
  }

  /**
   * As {@link #patch(Basis, InputStream, OutputStream)}, hashing the output on {@code executor}.
   */
  public static ContentHash patch(
      Basis basis, InputStream delta, OutputStream out, ExecutorService executor)
      throws IOException {
    return patch(basis, delta, out, executor, Long.MAX_VALUE);
  }

  /**
   * As {@link #patch(Basis, InputStream, OutputStream, ExecutorService)}, refusing a target longer
   * than {@code maxTargetBytes}: {@link io.vaultsync.core.delta.TargetTooLargeException} as soon as
   * the operations read so far add up to more, before their bytes are written. A receiver of deltas
   * from others sets this, since a delta of a few bytes may declare terabytes of copies.
   */
  public static ContentHash patch(
      Basis basis,
      InputStream delta,
      OutputStream out,
      ExecutorService executor,
      long maxTargetBytes)
      throws IOException {
    Patcher patcher = new Patcher(basis, out, executor, maxTargetBytes);
    // a delta already in memory needs no buffer (a server patches thousands of them per init)
    InputStream in =
        delta instanceof ByteArrayInputStream ? delta : new BufferedInputStream(delta, 64 * 1024);
    DeltaReader.read(in, patcher);
    return patcher.verifiedHash();
  }

  /**
   * Applies a delta to the file {@code basis} and writes {@code output} atomically: a temporary
   * file that is renamed only when the whole-file hash checked out. On failure {@code output} does
   * not change (or does not appear).
   */
  public static ContentHash patch(Path basis, InputStream delta, Path output) throws IOException {
    return patch(basis, delta, output, null);
  }

  /** As {@link #patch(Path, InputStream, Path)}, hashing the output on {@code executor}. */
  public static ContentHash patch(
      Path basis, InputStream delta, Path output, ExecutorService executor) throws IOException {
    try (FileChannel ch = FileChannel.open(basis, StandardOpenOption.READ)) {
      Basis b = Basis.of(ch);
      return AtomicFiles.write(output, out -> patch(b, delta, out, executor));
    }
  }
}
