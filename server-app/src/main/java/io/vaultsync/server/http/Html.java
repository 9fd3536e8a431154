package io.vaultsync.server.http;

/** Escaping for text put into server-rendered HTML. */
public final class Html {
  private Html() {}

  /** {@code text} with {@code & < > " '} escaped, safe in element content and quoted attributes. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A minimal page: doctype, charset, title and {@code body} (already HTML). */
  public static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + escape(title)
        + "</title></head><body>\n"
        + body
        + "\n</body></html>\n";
  }
}
