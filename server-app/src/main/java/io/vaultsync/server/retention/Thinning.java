package io.vaultsync.server.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The thinning decision for one file's versions: pure, no I/O, no clock of its own.
 *
 * <p>Rules (docs/ARCHITECTURE.md, "Retention"), with {@code age = now - time}:
 *
 * <ul>
 *   <li>the newest version (the head, or the delete that ended the file) is kept;
 *   <li>a pinned version (named by a kept snapshot) is kept;
 *   <li>age ≤ keep-all: kept;
 *   <li>keep-all < age ≤ keep-all + hourly: kept if no newer content version of the file was
 *       recorded in the same UTC hour;
 *   <li>up to keep-all + hourly + daily: kept if no newer content version of the file was recorded
 *       in the same UTC day;
 *   <li>older: dropped.
 * </ul>
 *
 * Only content versions (PUT, MOVE) compete for an hour or a day: a delete never pushes out the
 * content it deleted, so a deleted note's last version stays restorable as long as any version of
 * its age would. A delete (which costs no content) is kept while its age is within the whole
 * window. The kept set only shrinks as time passes (a version dropped now would be dropped later
 * too), so passes can run at any interval and in any order.
 */
public final class Thinning {
  private static final long HOUR = Duration.ofHours(1).toSeconds();
  private static final long DAY = Duration.ofDays(1).toSeconds();

  private Thinning() {}

  /**
   * The seqs of {@code versions} to drop.
   *
   * @param versions one file's versions, newest first (strictly decreasing seq)
   * @throws IllegalArgumentException if the versions are not newest first
   */
  public static List<Long> drop(List<VersionRef> versions, Instant now, RetentionPolicy policy) {
    List<Long> dropped = new ArrayList<>();
    Set<Long> hoursTaken = new HashSet<>();
    Set<Long> daysTaken = new HashSet<>();
    long previousSeq = Long.MAX_VALUE;
    for (int i = 0; i < versions.size(); i++) {
      VersionRef v = versions.get(i);
      if (v.seq() >= previousSeq) {
        throw new IllegalArgumentException(
            "version seq " + v.seq() + " after seq " + previousSeq + "; expected newest first");
      }
      previousSeq = v.seq();
      long epochSecond = v.time().getEpochSecond();
      boolean newHour = false;
      boolean newDay = false;
      if (!v.delete()) {
        newHour = hoursTaken.add(Math.floorDiv(epochSecond, HOUR));
        newDay = daysTaken.add(Math.floorDiv(epochSecond, DAY));
      }
      if (i == 0 || v.pinned()) {
        continue;
      }
      Duration age = Duration.between(v.time(), now);
      boolean keep;
      if (age.compareTo(policy.keepAll()) <= 0) {
        keep = true;
      } else if (v.delete()) {
        keep = age.compareTo(policy.keptUntil()) <= 0;
      } else if (age.compareTo(policy.hourlyUntil()) <= 0) {
        keep = newHour;
      } else if (age.compareTo(policy.keptUntil()) <= 0) {
        keep = newDay;
      } else {
        keep = false;
      }
      if (!keep) {
        dropped.add(v.seq());
      }
    }
    return dropped;
  }
}
