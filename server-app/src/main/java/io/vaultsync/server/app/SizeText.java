package io.vaultsync.server.app;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Byte sizes as people write them on a command line: {@code 1048576}, {@code 512K}, {@code 200M},
 * {@code 4G}, {@code 1T} (binary units: K = 1024; {@code KB}, {@code KiB} and lower case mean the
 * same). {@code none}, {@code off} and {@code unlimited} mean no limit (-1), where an option allows
 * it.
 */
final class SizeText implements ITypeConverter<Long> {
  /** Means "no limit". */
  static final long NONE = -1;

  @Override
  public Long convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Parses {@code text}; {@link #NONE} for none/off/unlimited. */
  static long parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("none") || t.equals("off") || t.equals("unlimited")) {
      return NONE;
    }
    String digits = t;
    int shift = 0;
    for (String[] unit :
        new String[][] {
          {"kib", "10"},
          {"mib", "20"},
          {"gib", "30"},
          {"tib", "40"},
          {"kb", "10"},
          {"mb", "20"},
          {"gb", "30"},
          {"tb", "40"},
          {"k", "10"},
          {"m", "20"},
          {"g", "30"},
          {"t", "40"},
          {"b", "0"}
        }) {
      if (t.endsWith(unit[0])) {
        digits = t.substring(0, t.length() - unit[0].length()).strip();
        shift = Integer.parseInt(unit[1]);
        break;
      }
    }
    long n;
    try {
      if (digits.isEmpty()
          || digits.length() > 19
          || !digits.chars().allMatch(Character::isDigit)) {
        throw new NumberFormatException();
      }
      n = Long.parseLong(digits);
      if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "size \"" + text + "\"; expected a positive size such as 200M, 4G or 1048576");
    }
    return n << shift;
  }
}
