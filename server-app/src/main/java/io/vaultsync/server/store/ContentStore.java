package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.util.Optional;

/**
 * Immutable file contents addressed by their SHA-256. Every version ever stored stays retrievable
 * (history and three-way merges are built on old hashes). New content is written through a {@link
 * StagingBatch}: nothing staged is visible until the batch commits, and a batch commits durably (on
 * disk, surviving a power cut) before {@link StagingBatch#commit} returns.
 *
 * <p>Implementations are thread-safe. The local one is {@link PackContentStore}; an S3-compatible
 * one can come later behind this interface.
 */
public interface ContentStore extends AutoCloseable {
  /** Whether content with this hash is stored (committed). */
  boolean has(ContentHash hash);

  /** The size of stored content, or empty if it is not stored. */
  Optional<Long> size(ContentHash hash);

  /**
   * Opens stored content for reading.
   *
   * @throws java.nio.file.NoSuchFileException if nothing with {@code hash} is stored
   */
  StoredObject open(ContentHash hash) throws IOException;

  /**
   * Tells {@code events} of content found damaged (no longer served) and of content stored, in this
   * process (the server's wanted set listens). This default tells nothing.
   */
  default void listen(StoreEvents events) {}

  /** Starts a batch of new content; close it without committing to discard what it staged. */
  StagingBatch newBatch() throws IOException;

  @Override
  void close() throws IOException;
}
