package io.vaultsync.server.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of one file as the thinning policy sees it.
 *
 * @param seq the ledger sequence number that recorded it
 * @param time when it was recorded
 * @param delete whether it records the file's deletion (it carries no new content)
 * @param pinned whether something else needs it kept (a kept snapshot names it)
 */
public record VersionRef(long seq, Instant time, boolean delete, boolean pinned) {
  public VersionRef {
    Objects.requireNonNull(time, "time");
    if (seq < 1) {
      throw new IllegalArgumentException("version seq " + seq + "; expected >= 1");
    }
  }
}
