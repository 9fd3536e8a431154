package io.vaultsync.server.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Database work behind interfaces that declare no IOException (Sessions, AttemptLimiter). */
final class Unchecked {
  /** Work on the database that may fail. */
  @FunctionalInterface
  interface DatabaseCall<T> {
    T run() throws IOException;
  }

  private Unchecked() {}

  /** Runs {@code work}; its IOException becomes an {@link UncheckedIOException}. */
  static <T> T io(DatabaseCall<T> work) {
    try {
      return work.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
