package io.vaultsync.server.http.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A small HTML builder for the owner's pages: every piece of text goes through {@link #text} (or
 * {@link #attr}), which escapes it, so user data (vault names, note paths, device names) can never
 * become markup; markup is only ever written with {@link #raw} from constants in this package. Not
 * thread-safe: one per response.
 *
 * <p>No template engine: the pages are a handful of tables and forms, and a builder whose only way
 * to add text escapes it keeps that rule in one place without another dependency.
 */
final class HtmlWriter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(4096);

  /** Appends markup written in this package (never user data). */
  HtmlWriter raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Appends {@code s} as text, escaped. */
  HtmlWriter text(String s) {
    out.append(escape(s));
    return this;
  }

  /** Appends {@code s} escaped for a double-quoted attribute value. */
  HtmlWriter attr(String s) {
    out.append(escape(s));
    return this;
  }

  /** Appends an element {@code <tag>text</tag>}. */
  HtmlWriter element(String tag, String text) {
    return raw("<" + tag + ">").text(text).raw("</" + tag + ">");
  }

  /** Appends a link to {@code href} (a path on this server, built with {@link #url}). */
  HtmlWriter link(String href, String text) {
    return raw("<a href=\"").attr(href).raw("\">").text(text).raw("</a>");
  }

  /** Appends a hidden form field. */
  HtmlWriter hidden(String name, String value) {
    return raw("<input type=\"hidden\" name=\"")
        .attr(name)
        .raw("\" value=\"")
        .attr(value)
        .raw("\">");
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** {@code s} with {@code & < > " '} replaced by entities (null: empty). */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (rep != null) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append(rep);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /** {@code s} percent-encoded for a query parameter value or a path segment. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * A URL: {@code path} (built from constants and {@link #encode}d segments) with query parameters
   * given as name, value pairs (null values are left out), each value encoded.
   */
  static String url(String path, String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("query parameters come in name, value pairs");
    }
    StringBuilder b = new StringBuilder(path);
    char sep = '?';
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i + 1] == null) {
        continue;
      }
      b.append(sep).append(nameValues[i]).append('=').append(encode(nameValues[i + 1]));
      sep = '&';
    }
    return b.toString();
  }

  /** A time as the pages show it: {@code 2026-11-26 08:40:42 UTC} (null: an en dash). */
  static String time(Instant t) {
    return t == null ? "–" : TIME.format(t);
  }

  /** A size as people read it: {@code 812 B}, {@code 4.2 KiB}, {@code 13.0 MiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
