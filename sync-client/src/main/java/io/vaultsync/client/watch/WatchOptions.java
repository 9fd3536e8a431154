package io.vaultsync.client.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@code vaultsync watch} paces itself.
 *
 * @param debounce quiet time after the last local event before a sync (an editor's save is a burst:
 *     temporary file, write, rename)
 * @param maxDelay longest a sync waits behind a stream of local events that never goes quiet
 * @param backoffMin first wait before reconnecting to an unreachable server
 * @param backoffMax longest wait between reconnect attempts
 * @param fullScanEvery longest time between two scans of the whole folder (the safety net for edits
 *     the file watcher missed); cycles in between look only at the paths events name
 * @param deleteSettle how long a cycle whose events name a synced file that is gone waits for more
 *     events first: a rename is a delete and a create, whose events can arrive in two bursts, and a
 *     cycle that saw only the delete would send a delete instead of a move
 */
public record WatchOptions(
    Duration debounce,
    Duration maxDelay,
    Duration backoffMin,
    Duration backoffMax,
    Duration fullScanEvery,
    Duration deleteSettle) {
  /**
   * 3 ms debounce (an editor's save burst takes well under a millisecond; a truncated note waits
   * longer, see {@link UnsettledEdits}), 1 s at most; reconnect after 250 ms, backing off to 30 s;
   * a full scan every 5 minutes; 250 ms more for the events of a burst that deleted or renamed a
   * synced file.
   */
  public static final WatchOptions DEFAULTS =
      new WatchOptions(
          Duration.ofMillis(3),
          Duration.ofSeconds(1),
          Duration.ofMillis(250),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofMillis(250));

  public WatchOptions {
    Objects.requireNonNull(debounce, "debounce");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(backoffMin, "backoffMin");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(fullScanEvery, "fullScanEvery");
    Objects.requireNonNull(deleteSettle, "deleteSettle");
    if (deleteSettle.isNegative()) {
      throw new IllegalArgumentException(
          "delete settle time " + deleteSettle + "; expected zero or more");
    }
    if (fullScanEvery.isNegative() || fullScanEvery.isZero()) {
      throw new IllegalArgumentException(
          "full scan every " + fullScanEvery + "; expected a positive duration");
    }
    if (debounce.isNegative() || maxDelay.compareTo(debounce) < 0) {
      throw new IllegalArgumentException(
          "debounce " + debounce + ", max delay " + maxDelay + "; expected 0 <= debounce <= max");
    }
    if (backoffMin.isNegative() || backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException(
          "reconnect backoff " + backoffMin + ".." + backoffMax + "; expected 0 < min <= max");
    }
  }

  public WatchOptions withDebounce(Duration d) {
    return new WatchOptions(
        d,
        maxDelay.compareTo(d) < 0 ? d : maxDelay,
        backoffMin,
        backoffMax,
        fullScanEvery,
        deleteSettle);
  }

  public WatchOptions withBackoff(Duration min, Duration max) {
    return new WatchOptions(debounce, maxDelay, min, max, fullScanEvery, deleteSettle);
  }

  public WatchOptions withFullScanEvery(Duration every) {
    return new WatchOptions(debounce, maxDelay, backoffMin, backoffMax, every, deleteSettle);
  }

  public WatchOptions withDeleteSettle(Duration settle) {
    return new WatchOptions(debounce, maxDelay, backoffMin, backoffMax, fullScanEvery, settle);
  }
}
