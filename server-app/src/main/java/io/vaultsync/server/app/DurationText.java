package io.vaultsync.server.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as people write them on a command line: {@code 90s}, {@code 30m}, {@code 6h}, {@code
 * 30d}, {@code 0}, or ISO-8601 ({@code PT6H}). {@code off} (and {@code never}) mean null, where an
 * option allows it.
 */
final class DurationText implements ITypeConverter<Duration> {
  /** Longest accepted duration: 100 years, far beyond any useful interval. */
  static final Duration MAX = Duration.ofDays(36_500);

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** Parses {@code text}; null for {@code off}/{@code never}. */
  static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("off") || t.equals("never")) {
      return null;
    }
    Duration d;
    try {
      if (t.startsWith("p")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.equals("0")) {
        d = Duration.ZERO;
      } else if (t.length() >= 2 && t.length() <= 12) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        d =
            switch (t.charAt(t.length() - 1)) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              case 'h' -> Duration.ofHours(n);
              case 'd' -> Duration.ofDays(n);
              default -> throw new NumberFormatException();
            };
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "duration \"" + text + "\"; expected e.g. 90s, 30m, 6h, 30d, 0, off or PT6H");
    }
    if (d.isNegative() || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "duration \"" + text + "\"; expected between 0 and " + MAX.toDays() + " days");
    }
    return d;
  }
}
