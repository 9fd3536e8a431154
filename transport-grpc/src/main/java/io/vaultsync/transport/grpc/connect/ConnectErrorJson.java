package io.vaultsync.transport.grpc.connect;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * The body of a Connect unary error, {@code {"code":"not_found","message":"..."}}: written by the
 * bridge, read by the client. The reader takes only the two top-level string members it needs
 * ({@code details} and unknown members are skipped); it never throws on a bad body, which reads as
 * no Connect error at all (null).
 */
public final class ConnectErrorJson {
  /** Longest error body read, in bytes. */
  public static final int MAX_BYTES = 16 * 1024;

  private ConnectErrorJson() {}

  /** The error body for {@code code} and {@code message} (null: none). */
  public static byte[] write(Status.Code code, String message) {
    StringBuilder b = new StringBuilder("{\"code\":\"").append(ConnectCodes.name(code)).append('"');
    if (message != null && !message.isEmpty()) {
      b.append(",\"message\":");
      quote(b, message);
    }
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** The status a Connect error body describes, or null if {@code body} is not one. */
  public static Status read(byte[] body) {
    if (body == null || body.length > MAX_BYTES) {
      return null;
    }
    Reader r = new Reader(new String(body, StandardCharsets.UTF_8));
    try {
      String code = null;
      String message = null;
      r.expect('{');
      if (!r.tryConsume('}')) {
        do {
          String key = r.string();
          r.expect(':');
          if (key.equals("code") || key.equals("message")) {
            String value = r.string();
            if (key.equals("code")) {
              code = value;
            } else {
              message = value;
            }
          } else {
            r.skipValue(0);
          }
        } while (r.tryConsume(','));
        r.expect('}');
      }
      Status.Code c = ConnectCodes.fromName(code);
      return c == null ? null : Status.fromCode(c).withDescription(message);
    } catch (IllegalStateException e) {
      return null;
    }
  }

  /** A small JSON reader over the body text; a syntax error is an IllegalStateException. */
  private static final class Reader {
    private static final int MAX_DEPTH = 32;
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    void expect(char c) {
      if (!tryConsume(c)) {
        throw new IllegalStateException("expected " + c + " at " + i);
      }
    }

    boolean tryConsume(char c) {
      space();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    String string() {
      space();
      if (i >= s.length() || s.charAt(i) != '"') {
        throw new IllegalStateException("expected a string at " + i);
      }
      i++;
      StringBuilder b = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (i >= s.length()) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new IllegalStateException("short \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw new IllegalStateException("bad \\u escape");
            }
            i += 4;
          }
          default -> b.append(e); // \" \\ \/
        }
      }
      throw new IllegalStateException("unterminated string");
    }

    void skipValue(int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalStateException("nested too deep");
      }
      space();
      if (i >= s.length()) {
        throw new IllegalStateException("expected a value");
      }
      char c = s.charAt(i);
      if (c == '"') {
        string();
      } else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        i++;
        if (tryConsume(close)) {
          return;
        }
        do {
          if (c == '{') {
            string();
            expect(':');
          }
          skipValue(depth + 1);
        } while (tryConsume(','));
        expect(close);
      } else {
        int start = i;
        while (i < s.length() && "{}[],: \t\r\n\"".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        if (i == start) {
          throw new IllegalStateException("expected a value at " + i);
        }
      }
    }
  }
}
