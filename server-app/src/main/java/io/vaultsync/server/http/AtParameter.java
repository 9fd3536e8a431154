package io.vaultsync.server.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The {@code at} query parameter of downloads: a sequence number ({@code at=4812}) or an ISO-8601
 * time with an offset ({@code at=2026-11-26T08:00:00Z}, {@code at=2026-11-26T09:00+01:00}). Absent:
 * the head.
 *
 * @param seq the sequence number, or -1 when a time was given
 * @param time the time, or null when a seq was given
 */
public record AtParameter(long seq, Instant time) {
  /** Longest {@code at} text accepted. */
  static final int MAX_CHARS = 64;

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException (a 400) naming the bad value
   */
  public static AtParameter parse(String text) {
    if (text.isEmpty() || text.length() > MAX_CHARS) {
      throw bad(text);
    }
    boolean digits = text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digits) {
      if (text.length() > 18) {
        throw bad(text);
      }
      long seq = Long.parseLong(text);
      if (seq < 1) {
        throw bad(text);
      }
      return new AtParameter(seq, null);
    }
    try {
      return new AtParameter(-1, OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      throw bad(text);
    }
  }

  /** Whether this names a time rather than a seq. */
  public boolean isTime() {
    return time != null;
  }

  private static IllegalArgumentException bad(String text) {
    String shown = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "…" : text;
    return new IllegalArgumentException(
        "at=\""
            + shown
            + "\" is neither a sequence number (1 or more) nor an ISO-8601 time such as"
            + " 2026-11-26T08:00:00Z");
  }
}
