package io.vaultsync.client.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of {@code restore --at}: a sequence number ({@code 4812}) or a time. Times: ISO-8601
 * with a zone ({@code 2026-11-20T14:00:00Z}, {@code 2026-11-20T14:00+01:00}), a local date and time
 * ({@code 2026-11-20T14:00}, in the clock's zone), a date alone ({@code 2026-11-20}: the end of
 * that day in the clock's zone, so "as it was on the 20th" includes the 20th's edits), or an age
 * ({@code 90s}, {@code 30m}, {@code 2h}, {@code 3d}, {@code 1w}: that long before now).
 *
 * @param seq the sequence number, or -1 for a time
 * @param time the time, or null for a sequence number
 */
record AtOption(long seq, Instant time) {
  private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");
  private static final Pattern AGE = Pattern.compile("([0-9]{1,9})([smhdw])");
  private static final int MAX_TEXT = 64;

  boolean isSeq() {
    return time == null;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  static AtOption parse(String text, Clock clock) {
    String s = text.strip();
    if (s.length() > MAX_TEXT) {
      throw bad(s.substring(0, MAX_TEXT) + "…");
    }
    if (SEQ.matcher(s).matches()) {
      return new AtOption(Long.parseLong(s), null);
    }
    Matcher age = AGE.matcher(s);
    if (age.matches()) {
      long n = Long.parseLong(age.group(1));
      return new AtOption(-1, clock.instant().minus(DurationUnits.of(n, age.group(2))));
    }
    ZoneId zone = clock.getZone();
    try {
      return new AtOption(-1, OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeException ignored) {
      // not with an offset
    }
    try {
      return new AtOption(-1, Instant.parse(s));
    } catch (DateTimeException ignored) {
      // not an instant
    }
    try {
      return new AtOption(-1, LocalDateTime.parse(s).atZone(zone).toInstant());
    } catch (DateTimeException ignored) {
      // not a local date-time
    }
    try {
      return new AtOption(-1, LocalDate.parse(s).atTime(LocalTime.MAX).atZone(zone).toInstant());
    } catch (DateTimeException ignored) {
      // not a date
    }
    throw bad(s);
  }

  private static IllegalArgumentException bad(String s) {
    return new IllegalArgumentException(
        "--at \""
            + s
            + "\" is not a sequence number (4812), a time (2026-11-20T14:00,"
            + " 2026-11-20T14:00:00Z, 2026-11-20) or an age (30m, 2h, 3d)");
  }

  @Override
  public String toString() {
    return isSeq() ? "seq " + seq : time.toString();
  }
}
