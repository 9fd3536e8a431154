package io.vaultsync.client.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one-line JSON object {@code --stats} and {@code --json} print: a command name and numbers,
 * booleans, strings and arrays under fixed keys. Built by hand because every key and the command
 * name are plain identifiers (checked) and the only escaping needed is that of string values (RFC
 * 8259).
 */
final class StatsLine {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

  private final StringBuilder json = new StringBuilder("{");
  private boolean empty = true;

  /** An object that starts with {@code "command":COMMAND}. */
  StatsLine(String command) {
    member("command");
    json.append('"').append(identifier(command)).append('"');
  }

  private StatsLine() {}

  /** An object with no command key, to nest under {@link #putObjects}. */
  static StatsLine object() {
    return new StatsLine();
  }

  StatsLine put(String key, long value) {
    member(key).append(value);
    return this;
  }

  StatsLine put(String key, boolean value) {
    member(key).append(value);
    return this;
  }

  StatsLine put(String key, String value) {
    member(key);
    quote(value);
    return this;
  }

  /** An array of strings. */
  StatsLine putStrings(String key, List<String> values) {
    member(key).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      quote(values.get(i));
    }
    json.append(']');
    return this;
  }

  /** An array of objects made with {@link #object()}. */
  StatsLine putObjects(String key, List<StatsLine> values) {
    member(key).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(values.get(i));
    }
    json.append(']');
    return this;
  }

  /** Starts a member: a comma unless it is the first, then the quoted key and a colon. */
  private StringBuilder member(String key) {
    if (!empty) {
      json.append(',');
    }
    empty = false;
    return json.append('"').append(identifier(key)).append("\":");
  }

  private void quote(String value) {
    json.append('"');
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
