package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.PackFormat;
import io.vaultsync.server.store.PackIndexFormat;
import io.vaultsync.server.store.RegionObject;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import io.vaultsync.server.store.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of an {@link S3ContentStore}. Staged content goes to a local file (in the cache's
 * {@code tmp/}), hashed as it is written; content staged twice is kept once. The commit then:
 *
 * <ol>
 *   <li>pins every staged hash under this batch's id and touches the rows of those already stored,
 *       in one transaction ({@link S3Index#pinAndDeduplicate}); those are not uploaded again;
 *   <li>uploads the rest as one new pack, one PUT ({@code packs/<id>.pack}, a framed {@link
 *       PackFormat} version 2 pack: each object after a record header that repeats its index entry,
 *       so the bucket alone describes what it holds);
 *   <li>inserts the pack's row and its objects' rows in one transaction ({@link S3Index#insert}).
 * </ol>
 *
 * Only then does {@link #commit} return. A failure before step 3 leaves no row: nothing is visible,
 * and a pack already uploaded is an orphan that {@link S3ContentStore#deleteOrphans} removes after
 * the grace period. So that no orphan sweep can remove a pack whose rows are still coming, step 3
 * is refused when more than {@link S3ContentStore#MAX_COMMIT} passed since step 1 (the grace is at
 * least twice that). {@link #close} drops the pins; the caller closes the batch after its ledger
 * rows are committed, so the pins cover the whole time in which content GC could otherwise drop
 * what the ledger is about to name (see {@link S3ContentGc}). Not thread-safe.
 */
final class S3Batch implements StagingBatch {
  private static final Logger log = LoggerFactory.getLogger(S3Batch.class);
  private static final int BUFFER = 64 * 1024;

  /** Where a staged object is in the batch's local file. */
  private record Region(long offset, long length) {}

  private final S3ContentStore store;
  private final String id = UUID.randomUUID().toString();
  private final Map<ContentHash, Region> staged = new LinkedHashMap<>();
  private Path file;
  private FileChannel channel;
  private long end;
  private boolean pinned;
  private boolean done;

  S3Batch(S3ContentStore store) {
    this.store = store;
  }

  @Override
  public Staged stage(ContentSource source) throws IOException {
    checkOpen();
    if (channel == null) {
      file = store.cache().newTempFile("batch");
      channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    }
    long start = end;
    MessageDigest md = ContentHash.newDigest();
    long length;
    try (ChannelAppender out = new ChannelAppender(channel, start, md)) {
      source.writeTo(out);
      out.flushBuffer();
      length = out.written();
    } catch (IOException | RuntimeException e) {
      channel.truncate(start); // nothing of a failed source is staged
      throw e;
    }
    ContentHash hash = ContentHash.finish(md);
    if (staged.containsKey(hash)) {
      channel.truncate(start); // staged already in this batch: keep one copy
    } else {
      staged.put(hash, new Region(start, length));
      end = start + length;
    }
    return new Staged(hash, length);
  }

  @Override
  public StoredObject open(ContentHash hash) throws IOException {
    Region r = staged.get(hash);
    if (r != null && !done) {
      return new RegionObject(hash, channel, r.offset(), r.length());
    }
    return store.open(hash);
  }

  @Override
  public boolean isEmpty() {
    return staged.isEmpty();
  }

  @Override
  public void commit() throws IOException {
    checkOpen();
    if (staged.isEmpty()) {
      done = true;
      return;
    }
    S3Index index = store.index();
    long started = store.clock().millis();
    pinned = true; // even if the transaction fails half-way: close drops whatever it left
    Set<ContentHash> stored = index.pinAndDeduplicate(id, staged.keySet(), started);
    List<ContentHash> fresh = new ArrayList<>();
    for (ContentHash h : staged.keySet()) {
      if (!stored.contains(h)) {
        fresh.add(h);
      }
    }
    if (fresh.isEmpty()) {
      done = true; // everything was stored already; the pins hold until close
      discard();
      return;
    }
    String key = store.location().packKey(S3Packs.newId());
    List<IndexRow> rows = new ArrayList<>(fresh.size());
    List<PackPiece> pieces = new ArrayList<>(fresh.size() + 1);
    long offset = PackFormat.HEADER;
    for (ContentHash h : fresh) {
      Region r = staged.get(h);
      byte[] record = PackFormat.record(new PackIndexFormat.Entry(h, 0, r.length()));
      offset += record.length;
      rows.add(new IndexRow(h, key, offset, r.length()));
      pieces.add(new PackPiece(h, record, r.offset(), r.length()));
      offset += r.length();
    }
    long packBytes = offset;
    store.hooks().accept("before-put");
    store.bucket().put(key, () -> packStream(pieces), packBytes);
    store.hooks().accept("after-put");
    Duration took = Duration.ofMillis(store.clock().millis() - started);
    if (took.compareTo(S3ContentStore.MAX_COMMIT) > 0) {
      throw new IOException(
          "commit of pack "
              + key
              + " took "
              + took.toSeconds()
              + " s, longer than "
              + S3ContentStore.MAX_COMMIT.toMinutes()
              + " minutes: its pack is left to the orphan sweep; try again");
    }
    index.insert(key, packBytes, store.clock().millis(), rows);
    done = true;
    discard();
    store.stored(rows);
  }

  /** A fresh stream of the whole pack (the SDK may read it more than once, to sign it). */
  private InputStream packStream(List<PackPiece> pieces) {
    List<InputStream> parts = new ArrayList<>(2 * pieces.size() + 1);
    parts.add(new ByteArrayInputStream(PackFormat.header()));
    for (PackPiece p : pieces) {
      parts.add(new ByteArrayInputStream(p.record()));
      parts.add(new RegionObject(p.hash(), channel, p.offset(), p.length()).stream());
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  /** An object's record header and where its bytes are in the batch's file. */
  private record PackPiece(ContentHash hash, byte[] record, long offset, long length) {}

  @Override
  public void close() throws IOException {
    if (pinned) {
      pinned = false;
      try {
        store.index().unpin(id);
      } catch (IOException e) {
        // The pins only delay content GC; it drops them once they are older than the grace.
        log.warn("could not drop the pins of batch {}: {}", id, e.getMessage());
      }
    }
    if (done && channel == null) {
      return;
    }
    done = true;
    discard();
  }

  private void discard() throws IOException {
    if (channel != null) {
      try {
        channel.close();
      } finally {
        channel = null;
        Files.deleteIfExists(file);
      }
    }
  }

  private void checkOpen() {
    if (done) {
      throw new IllegalStateException("batch " + id + " is already committed or closed");
    }
  }

  /** Writes at the end of the batch's file, through a buffer, hashing what it writes. */
  private static final class ChannelAppender extends OutputStream {
    private final FileChannel channel;
    private final MessageDigest md;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long position;
    private long written;

    ChannelAppender(FileChannel channel, long position, MessageDigest md) {
      this.channel = channel;
      this.position = position;
      this.md = md;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      md.update(b, off, len);
      written += len;
      while (len > 0) {
        int n = Math.min(len, buffer.remaining());
        buffer.put(b, off, n);
        off += n;
        len -= n;
        if (!buffer.hasRemaining()) {
          flushBuffer();
        }
      }
    }

    void flushBuffer() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      buffer.clear();
    }

    long written() {
      return written;
    }

    @Override
    public void close() {
      // the batch owns the channel
    }
  }
}
