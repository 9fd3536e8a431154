package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;

/**
 * Stored content whose bytes do not hash to its address (a flipped bit on disk, a truncated pack, a
 * delta chain that no longer patches): the store never serves it as if it were good. The server
 * treats it as missing and asks devices that hold the right bytes to give them back.
 */
public final class DamagedContentException extends IOException {
  private final transient ContentHash hash;

  public DamagedContentException(ContentHash hash, String message, Throwable cause) {
    super(message, cause);
    this.hash = hash;
  }

  /** The content that is damaged. */
  public ContentHash hash() {
    return hash;
  }
}
