package io.vaultsync.benchmarks.wan;

import java.time.Duration;
import java.util.Locale;

/**
 * The network between the benchmark's clients and their servers: plain loopback, or a WAN-shaped
 * link made by a {@link ShapingProxy} with a round-trip time (half of it added each way) and a rate
 * cap per direction.
 *
 * @param shaped whether a {@link ShapingProxy} sits between client and server
 * @param rtt the round-trip time the proxy adds (zero for loopback)
 * @param bitsPerSecond the rate cap per direction (0 for loopback: no cap)
 */
public record Link(boolean shaped, Duration rtt, long bitsPerSecond) {
  /** The default WAN shape: 50 ms round trip, 20 Mbit/s each way. */
  public static final Link WAN = wan(50, 20);

  /** Loopback, no proxy. */
  public static final Link LOOPBACK = new Link(false, Duration.ZERO, 0);

  public Link {
    if (rtt.isNegative() || bitsPerSecond < 0 || (shaped && bitsPerSecond == 0)) {
      throw new IllegalArgumentException(
          "round trip " + rtt + ", rate " + bitsPerSecond + " bit/s; expected >= 0 and a rate > 0");
    }
  }

  /** A WAN-shaped link of {@code rttMillis} round trip and {@code mbitPerSecond} each way. */
  public static Link wan(long rttMillis, double mbitPerSecond) {
    if (rttMillis < 0 || !(mbitPerSecond > 0)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "round trip %d ms, rate %s Mbit/s; expected a round trip >= 0 ms and a rate > 0",
              rttMillis,
              mbitPerSecond));
    }
    return new Link(true, Duration.ofMillis(rttMillis), Math.round(mbitPerSecond * 1e6));
  }

  /** The delay added to each direction: half the round trip. */
  public Duration oneWayDelay() {
    return rtt.dividedBy(2);
  }

  /** Rate in bytes per second. */
  public double bytesPerSecond() {
    return bitsPerSecond / 8.0;
  }

  /** A short key for file names and CSV: {@code loopback} or {@code wan}. */
  public String key() {
    return shaped ? "wan" : "loopback";
  }

  /** {@code Loopback} or {@code WAN-shaped link (50 ms RTT, 20 Mbit/s)}. */
  public String label() {
    if (!shaped) {
      return "Loopback";
    }
    return String.format(
        Locale.ROOT, "WAN-shaped link (%d ms RTT, %s Mbit/s)", rtt.toMillis(), megabits());
  }

  /** The rate in Mbit/s as text: {@code 20}, {@code 2.5}. */
  public String megabits() {
    double mbit = bitsPerSecond / 1e6;
    return mbit == Math.rint(mbit) ? Long.toString((long) mbit) : Double.toString(mbit);
  }
}
