package io.vaultsync.client.cli;

import java.time.Duration;

/** The short units the CLI reads in ages ({@code --at 3d}) and lifetimes ({@code --expires 4w}). */
final class DurationUnits {
  private DurationUnits() {}

  /**
   * {@code n} of {@code unit}: {@code s}econds, {@code m}inutes, {@code h}ours, {@code d}ays or
   * {@code w}eeks.
   */
  static Duration of(long n, String unit) {
    return switch (unit) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      case "w" -> Duration.ofDays(7 * n);
      default ->
          throw new IllegalArgumentException(
              "duration unit \"" + unit + "\"; expected s, m, h, d or w");
    };
  }
}
