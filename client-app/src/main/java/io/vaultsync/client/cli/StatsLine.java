package io.vaultsync.client.cli;

import java.util.regex.Pattern;

/**
 * The one-line JSON object {@code --stats} prints: a command name and numbers under fixed keys.
 * Built by hand because every key and the command name are plain identifiers (checked) and every
 * value is a number, so nothing needs escaping.
 */
final class StatsLine {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

  private final StringBuilder json = new StringBuilder("{");

  StatsLine(String command) {
    json.append("\"command\":\"").append(identifier(command)).append('"');
  }

  StatsLine put(String key, long value) {
    json.append(",\"").append(identifier(key)).append("\":").append(value);
    return this;
  }

  private static String identifier(String s) {
    if (!IDENTIFIER.matcher(s).matches()) {
      throw new IllegalStateException("stats key " + s + " is not a plain identifier");
    }
    return s;
  }

  @Override
  public String toString() {
    return json + "}";
  }
}
