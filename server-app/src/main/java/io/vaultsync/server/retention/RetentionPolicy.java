package io.vaultsync.server.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a vault keeps old versions, as three consecutive phases of a version's age (its time
 * measured back from now):
 *
 * <ol>
 *   <li>{@code keepAll}: age ≤ keepAll: every version is kept;
 *   <li>{@code hourly}: keepAll < age ≤ keepAll + hourly: the newest version of each UTC hour;
 *   <li>{@code daily}: keepAll + hourly < age ≤ keepAll + hourly + daily: the newest version of
 *       each UTC day;
 * </ol>
 *
 * and older versions are dropped. A file's head version (its newest) is always kept, whatever its
 * age, and so are versions a kept snapshot names. The default is the wording, "every
 * version for 30 days, then one per hour for a week, one per day for a year": 30 d, 7 d, 365 d, so
 * the oldest version kept is about 402 days old. A phase of length 0 is skipped.
 */
public record RetentionPolicy(Duration keepAll, Duration hourly, Duration daily) {
  /** Longest phase accepted: 100 years. */
  static final Duration MAX_PHASE = Duration.ofDays(36_500);

  /** 30 days of everything, then a week of hourly versions, then a year of daily ones. */
  public static final RetentionPolicy DEFAULT =
      new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(365));

  public RetentionPolicy {
    check("keep-all", keepAll);
    check("hourly", hourly);
    check("daily", daily);
  }

  private static void check(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.compareTo(MAX_PHASE) > 0) {
      throw new IllegalArgumentException(
          what + " phase " + d + "; expected between 0 and " + MAX_PHASE.toDays() + " days");
    }
  }

  /** Age up to which hourly thinning applies (end of the hourly phase). */
  public Duration hourlyUntil() {
    return keepAll.plus(hourly);
  }

  /** Age beyond which nothing but heads and snapshot versions is kept. */
  public Duration keptUntil() {
    return keepAll.plus(hourly).plus(daily);
  }

  /** As on a command line: {@code --keep-all 30d --hourly 7d --daily 365d}. */
  public String describe() {
    return "--keep-all " + days(keepAll) + " --hourly " + days(hourly) + " --daily " + days(daily);
  }

  private static String days(Duration d) {
    if (d.toSeconds() % 86_400 == 0) {
      return d.toDays() + "d";
    }
    if (d.toSeconds() % 3_600 == 0) {
      return d.toHours() + "h";
    }
    return d.toSeconds() + "s";
  }
}
