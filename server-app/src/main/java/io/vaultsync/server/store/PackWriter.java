package io.vaultsync.server.store;

import io.vaultsync.core.io.AtomicFiles;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One new framed pack ({@link PackFormat} version 2) being written into a store's {@code packs/}
 * folder, and its durable commit: what a batch, a repack and a salvage share.
 *
 * <p>The pack is written under the temporary name {@code .vstmp-<id>.pack}. {@link #commit} fsyncs
 * it, writes and fsyncs the temporary index {@code .vstmp-<id>.idx}, renames the pack and then the
 * index (the index rename is the commit point) and fsyncs the folder; opening the store removes
 * what a crash before that point left (see {@link PackLoader}). {@link #close} before a commit
 * removes the temporary files. Not thread-safe: one writer belongs to one thread.
 */
final class PackWriter implements AutoCloseable {
  private static final int COPY_BUFFER = 64 * 1024;

  private final Path folder;
  private final String id;
  private final Path tempPack;
  private final Path tempIndex;
  private final FileChannel channel;
  private final List<PackIndexFormat.Entry> entries = new ArrayList<>();
  private long length = PackFormat.HEADER;

  /**
   * What {@link #writePending} writes through: one buffer and digest for all the pack's objects.
   */
  private PendingOutput pending;

  /** Whether the channel was handed to the caller by a commit. */
  private boolean committed;

  private PackWriter(Path folder, String id, FileChannel channel) {
    this.folder = folder;
    this.id = id;
    this.tempPack = tempPath(folder, id, PackFiles.PACK);
    this.tempIndex = tempPath(folder, id, PackFiles.INDEX);
    this.channel = channel;
  }

  private static Path tempPath(Path folder, String id, String extension) {
    return folder.resolve(AtomicFiles.TEMP_PREFIX + id + extension);
  }

  /** Starts a new pack with a new id in {@code folder}: its temporary file with the pack header. */
  static PackWriter create(Path folder) throws IOException {
    String id = PackFiles.newId();
    FileChannel ch =
        FileChannel.open(
            tempPath(folder, id, PackFiles.PACK),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    PackWriter w = new PackWriter(folder, id, ch);
    try {
      PackFiles.writeAt(ch, 0, PackFormat.header());
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** The pack's id (its file name once committed, without extension). */
  String id() {
    return id;
  }

  /** The pack's channel, open for reading and writing. */
  FileChannel channel() {
    return channel;
  }

  /** The pack's length so far. */
  long length() {
    return length;
  }

  /** The objects written so far, in pack order, with the offsets of their stored bytes. */
  List<PackIndexFormat.Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  /** Whether no object was written yet. */
  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Writes the bytes {@code source} writes after the pack's end, hashing and counting them, in the
   * room of a whole object's record header: the result is not part of the pack until {@link #keep}
   * (or {@link #discardPending}, which a source that throws gets by itself).
   *
   * @return the object as it would be placed (hash, offset of its bytes, length)
   */
  PackIndexFormat.Entry writePending(StagingBatch.ContentSource source) throws IOException {
    long start = length;
    long payload = start + PackFormat.RECORD_WHOLE;
    if (pending == null) {
      pending = new PendingOutput(channel);
    }
    try {
      pending.begin(payload);
      source.writeTo(pending);
      pending.flush();
    } catch (IOException | RuntimeException e) {
      channel.truncate(start);
      throw e;
    }
    return new PackIndexFormat.Entry(pending.hash(), payload, pending.count());
  }

  /** Makes the object {@link #writePending} wrote part of the pack: writes its record header. */
  void keep(PackIndexFormat.Entry pending) throws IOException {
    PackFiles.writeAt(channel, length, PackFormat.record(pending));
    entries.add(pending);
    length = pending.offset() + pending.length();
  }

  /** Cuts off what {@link #writePending} wrote (the object is stored already). */
  void discardPending() throws IOException {
    channel.truncate(length);
  }

  /**
   * Appends {@code e} (its offset is ignored) with its stored bytes; returns the entry as placed.
   */
  PackIndexFormat.Entry append(PackIndexFormat.Entry e, byte[] stored) throws IOException {
    byte[] header = PackFormat.record(e);
    PackFiles.writeAt(channel, length, header);
    PackFiles.writeAt(channel, length + header.length, stored);
    return placed(e, length + header.length);
  }

  /**
   * Appends {@code e} (its offset is ignored) with its {@code e.length()} stored bytes copied from
   * {@code from} at {@code offset}, passing them through {@code digest} too if it is not null;
   * returns the entry as placed.
   *
   * @throws EOFException if {@code from} ends before
   */
  PackIndexFormat.Entry copy(
      PackIndexFormat.Entry e, FileChannel from, long offset, MessageDigest digest)
      throws IOException {
    byte[] header = PackFormat.record(e);
    PackFiles.writeAt(channel, length, header);
    long start = length + header.length;
    byte[] buf = new byte[COPY_BUFFER];
    for (long done = 0; done < e.length(); ) {
      int want = (int) Math.min(buf.length, e.length() - done);
      int n = PackScanner.readAt(from, offset + done, buf, want);
      if (n < want) {
        throw new EOFException(
            "pack ended at "
                + (offset + done + n)
                + " while copying "
                + e.length()
                + " bytes of "
                + e.hash().hex());
      }
      if (digest != null) {
        digest.update(buf, 0, n);
      }
      ByteBuffer chunk = ByteBuffer.wrap(buf, 0, n);
      for (long p = start + done; chunk.hasRemaining(); ) {
        p += channel.write(chunk, p);
      }
      done += n;
    }
    return placed(e, start);
  }

  private PackIndexFormat.Entry placed(PackIndexFormat.Entry e, long payload) {
    PackIndexFormat.Entry p =
        new PackIndexFormat.Entry(e.hash(), payload, e.length(), e.base(), e.fullLength());
    entries.add(p);
    length = payload + e.length();
    return p;
  }

  /**
   * Commits the pack (see the class comment) and returns its channel, open for reading: the caller
   * owns it from now on.
   */
  FileChannel commit() throws IOException {
    channel.force(true);
    PackFiles.writeIndex(tempIndex, entries, length, true);
    PackFiles.move(tempPack, folder.resolve(id + PackFiles.PACK));
    PackFiles.move(tempIndex, folder.resolve(id + PackFiles.INDEX));
    AtomicFiles.fsyncDirectory(folder);
    committed = true;
    return channel;
  }

  /**
   * Fsyncs the pack and renames it, without an index (the caller writes one): a crash then leaves a
   * framed pack without an index, which the store serves from its record headers. Returns the
   * channel, which the caller owns from now on.
   */
  FileChannel commitWithoutIndex() throws IOException {
    channel.force(true);
    PackFiles.move(tempPack, folder.resolve(id + PackFiles.PACK));
    committed = true;
    return channel;
  }

  /** Before a commit: closes the pack and removes its temporary files. After one: nothing. */
  @Override
  public void close() throws IOException {
    if (committed) {
      return;
    }
    committed = true;
    channel.close();
    Files.deleteIfExists(tempIndex);
    Files.deleteIfExists(tempPack);
  }
}
