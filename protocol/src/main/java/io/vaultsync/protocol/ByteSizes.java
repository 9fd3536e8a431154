package io.vaultsync.protocol;

import java.util.Locale;

/** Byte counts in messages: {@code 2.0 MiB (2,097,152 bytes)}. */
public final class ByteSizes {
  private ByteSizes() {}

  /** {@code n} in binary units with the exact count, e.g. {@code 1.5 KiB (1,536 bytes)}. */
  public static String describe(long n) {
    if (n < 1024) {
      return n + (n == 1 ? " byte" : " bytes");
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%,d bytes)", v, units[u], n);
  }
}
