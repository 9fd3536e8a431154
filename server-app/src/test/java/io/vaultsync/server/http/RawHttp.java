package io.vaultsync.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 requests written by hand on a socket bound to a chosen local address of 127/8 (the JDK
 * client can neither pick its source address nor send every malformed request a test needs).
 */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} from {@code from} to 127.0.0.1:{@code port}; returns the response. */
  static String exchange(int port, InetAddress from, String request) throws IOException {
    try (Socket sock = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0)) {
      sock.setSoTimeout(20_000);
      OutputStream out = sock.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = sock.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * POST of the url-encoded {@code body} to {@code path} from {@code from}, with the extra header
   * lines {@code headers} (each ending in CRLF, or empty).
   */
  static String postForm(int port, InetAddress from, String path, String headers, String body)
      throws IOException {
    return exchange(
        port,
        from,
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\n"
            + headers
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body);
  }

  /** The status code of a raw response. */
  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  /** The body of a raw response (Content-Length or chunked). */
  static String body(String response) {
    int at = response.indexOf("\r\n\r\n");
    String head = response.substring(0, at).toLowerCase(Locale.ROOT);
    String rest = response.substring(at + 4);
    if (!head.contains("transfer-encoding: chunked")) {
      return rest;
    }
    StringBuilder out = new StringBuilder();
    int p = 0;
    while (true) {
      int eol = rest.indexOf("\r\n", p);
      int n = Integer.parseInt(rest.substring(p, eol).trim(), 16);
      if (n == 0) {
        return out.toString();
      }
      out.append(rest, eol + 2, eol + 2 + n);
      p = eol + 2 + n + 2;
    }
  }
}
