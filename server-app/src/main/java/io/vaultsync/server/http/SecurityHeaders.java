package io.vaultsync.server.http;

import io.javalin.http.Context;
import io.vaultsync.transport.grpc.connect.ConnectBridge;

/**
 * Headers every response carries, set before any handler runs (and again by the error mapper): no
 * referrer leaves a page (share URLs hold secrets), no MIME sniffing, no framing, a strict content
 * security policy (no scripts at all, styles and images only from this origin, forms post only
 * here), and no caching of private notes. Answers of the browser face ({@code
 * /vaultsync.v1.VaultSync/...}: protobuf and JSON bodies no browser renders or frames) keep only no
 * sniffing and no caching: the page-only headers would cost a phone about 230 bytes on every call,
 * the long poll included.
 */
public final class SecurityHeaders {
  /** The content security policy: nothing runs, nothing loads from elsewhere. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private SecurityHeaders() {}

  /** Sets the headers on {@code ctx}'s response. */
  public static void apply(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-store");
    if (ctx.path().startsWith(ConnectBridge.PATH_PREFIX)) {
      return;
    }
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }
}
