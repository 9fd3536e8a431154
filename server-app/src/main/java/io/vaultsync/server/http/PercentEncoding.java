package io.vaultsync.server.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/**
 * Refuses a request whose path, query string or url-encoded form body has a malformed
 * percent-escape (a {@code %} not followed by two hex digits), before any handler decodes it.
 * Without this, Jetty and Javalin either treat such a parameter as absent (a zip of {@code
 * path=%zz} silently became the whole vault; a page said a parameter "is required") or fail with
 * the JDK's own text ("URLDecoder: Illegal hex characters in escape (%) pattern ...", issue 12 item
 * 11). The 400 says what is wrong in our words.
 */
final class PercentEncoding {
  private PercentEncoding() {}

  /** A before-handler: 400 for a malformed escape in the query string or a form body. */
  static void refuseMalformed(Context ctx) {
    String path = ctx.req().getRequestURI();
    if (path != null && !wellFormed(path)) {
      // Jetty refuses most bad escapes itself; "%u0041" (a UTF-16 escape) reached Javalin
      throw new BadRequestResponse(
          "malformed percent-encoding in the path: every % must be followed by two hex digits");
    }
    String query = ctx.queryString();
    if (query != null && !wellFormed(query)) {
      throw new BadRequestResponse(
          "malformed percent-encoding in the query string: every % must be followed by two hex"
              + " digits (write a literal % as %25)");
    }
    String type = ctx.contentType();
    if (type != null
        && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
        && !wellFormed(ctx.body())) {
      throw new BadRequestResponse(
          "malformed percent-encoding in the form: every % must be followed by two hex digits");
    }
  }

  /** Whether every {@code %} in {@code s} starts a two-hex-digit escape. */
  static boolean wellFormed(String s) {
    int i = s.indexOf('%');
    while (i >= 0) {
      if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
        return false;
      }
      i = s.indexOf('%', i + 3);
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
