package io.vaultsync.client.sync;

import java.io.IOException;

/**
 * What the server sent for a file did not rebuild its content: the patched bytes hash to something
 * else, or the delta is malformed. The file is left out of this sync by name (the server's copy is
 * damaged; it should have said so itself), and the others go on.
 */
final class DamagedDownloadException extends IOException {
  private static final long serialVersionUID = 1L;

  DamagedDownloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
