package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.nio.file.NoSuchFileException;

/**
 * The store holds no (readable) copy of the content asked for: never stored, lost with a pack or an
 * index, or dropped from the index after it was found damaged. A {@link NoSuchFileException}, so
 * callers that treat a missing file as missing content keep working; the type tells it apart from a
 * file missing on the disk.
 */
public final class MissingContentException extends NoSuchFileException {
  private static final long serialVersionUID = 1L;
  private final transient ContentHash hash;

  public MissingContentException(ContentHash hash, String message) {
    super(message);
    this.hash = hash;
  }

  /** The content asked for. */
  public ContentHash hash() {
    return hash;
  }

  @Override
  public String getMessage() {
    return getFile();
  }
}
