package io.vaultsync.client.cli;

import java.util.regex.Pattern;

/**
 * The one-line JSON object {@code --stats} and {@code --json} print: a command name and numbers or
 * strings under fixed keys. Built by hand because every key and the command name are plain
 * identifiers (checked) and the only escaping needed is that of string values (RFC 8259).
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

  StatsLine put(String key, boolean value) {
    json.append(",\"").append(identifier(key)).append("\":").append(value);
    return this;
  }

  StatsLine put(String key, String value) {
    json.append(",\"").append(identifier(key)).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
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
