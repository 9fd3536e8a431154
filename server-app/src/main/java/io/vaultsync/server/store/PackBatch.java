package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One batch of a {@link PackContentStore}: a new pack ({@link PackWriter}) started on the first
 * stage. Each object's record header is written after its bytes (its hash and length are known only
 * then), in the room left before them; content the store already has (and a collection does not
 * condemn, see {@link PackPins}) or this batch staged already is cut off again, so one copy is
 * kept. Committing makes the pack durable, then visible in the store. Not thread-safe.
 */
final class PackBatch implements StagingBatch {
  private final PackContentStore store;
  private final PackPins pins;
  private final Path folder;
  private final Map<ContentHash, PackIndexFormat.Entry> staged = new HashMap<>();
  private PackWriter writer;
  private boolean done;

  PackBatch(PackContentStore store, PackPins pins, Path folder) {
    this.store = store;
    this.pins = pins;
    this.folder = folder;
  }

  @Override
  public Staged stage(ContentSource source) throws IOException {
    checkOpen();
    if (writer == null) {
      writer = PackWriter.create(folder);
    }
    PackIndexFormat.Entry pending = writer.writePending(source);
    ContentHash hash = pending.hash();
    boolean stored = pins.touch(this, hash, store::has) || staged.containsKey(hash);
    if (stored) {
      writer.discardPending(); // already stored: keep one copy
    } else {
      writer.keep(pending);
      staged.put(hash, pending);
    }
    return new Staged(hash, pending.length());
  }

  @Override
  public StoredObject open(ContentHash hash) throws IOException {
    PackIndexFormat.Entry e = staged.get(hash);
    if (e != null && !done) { // batches stage whole objects only
      return new RegionObject(hash, writer.channel(), e.offset(), e.length());
    }
    return store.open(hash);
  }

  @Override
  public boolean isEmpty() {
    return writer == null || writer.isEmpty();
  }

  @Override
  public void commit() throws IOException {
    checkOpen();
    if (isEmpty()) {
      // Nothing new (all deduplicated): the batch stays open, so its hashes stay pinned for a
      // collection until the caller has recorded them and closes it.
      done = true;
      discard();
      return;
    }
    FileChannel reader = writer.commit(); // a failure leaves the batch open: close discards it
    done = true;
    store.publish(writer.id(), reader, writer.entries());
  }

  @Override
  public void close() throws IOException {
    pins.closed(this);
    if (done) {
      return;
    }
    done = true;
    discard();
  }

  private void checkOpen() {
    if (done) {
      throw new IllegalStateException(
          "batch" + (writer == null ? "" : " " + writer.id()) + " is already committed or closed");
    }
  }

  private void discard() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
