package io.vaultsync.server.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * New content being written to a {@link ContentStore}. Staged content is invisible (and lost on a
 * crash) until {@link #commit}; closing an uncommitted batch removes its temporary files. Not
 * thread-safe: one batch belongs to one writer.
 */
public interface StagingBatch extends AutoCloseable {
  /** Writes content to an output stream; used to stage content as it is produced. */
  @FunctionalInterface
  interface ContentSource {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Stages the bytes {@code source} writes. The store hashes them itself while writing, so the
   * returned hash always matches the stored bytes whatever the source claims. If the source throws,
   * nothing of it is staged and the batch stays usable.
   */
  Staged stage(ContentSource source) throws IOException;

  /**
   * Opens content staged in this batch or already stored, so a later change of the same batch can
   * use an earlier one as its base.
   *
   * @throws java.nio.file.NoSuchFileException if it is neither staged here nor stored
   */
  StoredObject open(io.vaultsync.core.hash.ContentHash hash) throws IOException;

  /** Whether this batch staged nothing yet. */
  boolean isEmpty();

  /**
   * Makes everything staged durable and visible, with as few fsyncs as the store can manage (the
   * local store: one pack file and its index, two file fsyncs and one folder fsync per batch).
   * Committing an empty batch does nothing.
   */
  void commit() throws IOException;

  /** Discards the staged content unless the batch was committed. */
  @Override
  void close() throws IOException;
}
