package io.vaultsync.server.http.web;

import java.time.Duration;
import java.util.List;

/**
 * The expiry choices the share form offers; the form's value is checked against this list, so no
 * other duration reaches the share store from a page.
 *
 * @param value the form value ({@code 1d}, {@code 7d}, ...)
 * @param label what the page shows
 * @param duration how long the link lives (null: until revoked)
 */
record ShareExpiry(String value, String label, Duration duration) {
  static final List<ShareExpiry> CHOICES =
      List.of(
          new ShareExpiry("1h", "1 hour", Duration.ofHours(1)),
          new ShareExpiry("1d", "1 day", Duration.ofDays(1)),
          new ShareExpiry("7d", "7 days", Duration.ofDays(7)),
          new ShareExpiry("30d", "30 days", Duration.ofDays(30)),
          new ShareExpiry("365d", "1 year", Duration.ofDays(365)),
          new ShareExpiry("never", "never", null));

  /** The default choice. */
  static final ShareExpiry DEFAULT = CHOICES.get(2);

  /** The choice with form value {@code value}. */
  static ShareExpiry of(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT;
    }
    for (ShareExpiry e : CHOICES) {
      if (e.value.equals(value)) {
        return e;
      }
    }
    String shown = value.length() > 20 ? value.substring(0, 20) + "…" : value;
    throw new IllegalArgumentException(
        "expiry \"" + shown + "\" is not offered; expected one of 1h, 1d, 7d, 30d, 365d, never");
  }
}
