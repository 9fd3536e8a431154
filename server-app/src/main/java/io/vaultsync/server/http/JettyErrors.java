package io.vaultsync.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests that never reach Javalin (a NUL or a bad escape in the URI, an
 * ambiguous path, a header too large): the same short plain text and security headers as {@link
 * HttpErrors}, never a stack trace or an HTML page that echoes the request.
 */
final class JettyErrors extends ErrorHandler {
  JettyErrors() {
    setShowStacks(false);
    setShowMessageInTitle(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    String reason = HttpStatus.getMessage(code);
    var headers = response.getHeaders();
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY);
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    byte[] body =
        (code + " " + (reason == null ? "error" : reason.toLowerCase(java.util.Locale.ROOT)) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
