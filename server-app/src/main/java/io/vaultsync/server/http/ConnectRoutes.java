package io.vaultsync.server.http;

import io.grpc.Status;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.vaultsync.transport.grpc.connect.ConnectBridge;
import io.vaultsync.transport.grpc.connect.ConnectResponse;
import io.vaultsync.transport.grpc.connect.ConnectTrailers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * The browser face of the protocol: {@code POST /vaultsync.v1.VaultSync/{Method}} in the Connect
 * protocol (unary, {@code application/proto}), answered by the {@link ConnectBridge} to the very
 * service the gRPC port serves, and the CORS preflight {@code OPTIONS} of those paths. Registered
 * only when the server runs one ({@link HttpServices#browser()}).
 *
 * <p>Before the bridge sees a request: a body declared or found larger than {@link
 * ConnectBridge#MAX_BODY_BYTES} is refused ({@code resource_exhausted}) before it is read (or as
 * soon as the stream passes the limit); a content type other than {@code application/proto} is
 * refused ({@code 415}, {@code invalid_argument}), as is a {@code Connect-Protocol-Version} other
 * than {@code 1}. Cookies and sessions are never read on these paths: the device token in {@code
 * Authorization: Bearer} is the only credential, checked by the service. Device tokens the service
 * refuses count against the sign-in limit per client address ({@link
 * LoginRoutes#LIMIT_PER_ADDRESS}, the address as {@link ClientAddress} resolves it): over the
 * limit, calls from that address are answered {@code resource_exhausted} with {@code Retry-After}
 * until the window passes.
 *
 * <p>CORS: a request whose {@code Origin} is one of {@link BrowserFace#corsOrigins()} gets {@code
 * Access-Control-Allow-Origin} (that origin) and {@code Access-Control-Expose-Headers} (the {@code
 * trailer-*} headers, {@code Retry-After}); a preflight from it {@code 204} with the methods and
 * headers a client sends, cached 10 minutes. Any other origin gets no CORS headers, so a browser
 * keeps its page from reading the answer. No credentials mode (no cookies).
 */
public final class ConnectRoutes implements HttpRoutes {
  /** The headers a browser client may send. */
  static final String ALLOWED_HEADERS =
      "authorization, content-type, connect-protocol-version, connect-timeout-ms, vaultsync-upload";

  /** Seconds a browser may cache a preflight answer. */
  static final String MAX_AGE = "600";

  /** Extra idle time Jetty allows a call beyond its deadline, so a long poll is never cut. */
  static final Duration IDLE_MARGIN = Duration.ofSeconds(30);

  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    BrowserFace face = services.browser();
    if (face == null) {
      return;
    }
    RefusedTokens refused =
        new RefusedTokens(
            services
                .state()
                .limits()
                .limiter(
                    LoginRoutes.LIMIT_PER_ADDRESS,
                    LoginRoutes.ATTEMPTS_PER_ADDRESS,
                    Duration.ofMinutes(1)));
    String path = ConnectBridge.PATH_PREFIX + "{method}";
    routes.post(path, ctx -> call(ctx, face, services.clients(), refused));
    routes.addHttpHandler(HandlerType.OPTIONS, path, ctx -> preflight(ctx, face));
  }

  private static void preflight(Context ctx, BrowserFace face) {
    ctx.status(204);
    String origin = ctx.header("Origin");
    if (origin == null || !face.corsOrigins().contains(origin)) {
      return; // no CORS headers: the browser refuses the call
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Vary", "Origin");
    ctx.header("Access-Control-Allow-Methods", "POST");
    ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    ctx.header("Access-Control-Max-Age", MAX_AGE);
  }

  private static void cors(Context ctx, BrowserFace face) {
    String origin = ctx.header("Origin");
    if (origin != null && face.corsOrigins().contains(origin)) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header(
          "Access-Control-Expose-Headers",
          String.join(", ", ConnectTrailers.EXPOSED) + ", retry-after");
    }
  }

  private static void call(
      Context ctx, BrowserFace face, ClientAddress clients, RefusedTokens refused)
      throws IOException {
    cors(ctx, face);
    String client = clients.of(ctx);
    long wait = refused.waitSeconds(client);
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      send(ctx, tooManyRefused(wait));
      return;
    }
    ConnectResponse refusal = checkHeaders(ctx);
    if (refusal != null) {
      send(ctx, refusal);
      return;
    }
    byte[] body = readBody(ctx);
    if (body == null) {
      send(ctx, tooLarge("more than " + ConnectBridge.MAX_BODY_BYTES));
      return;
    }
    String timeout = ctx.header("Connect-Timeout-Ms");
    long deadline;
    try {
      deadline = ConnectBridge.timeoutMillis(timeout);
    } catch (IllegalArgumentException e) {
      send(ctx, ConnectResponse.error(Status.Code.INVALID_ARGUMENT, e.getMessage()));
      return;
    }
    // The call runs without a Jetty thread (a long poll waits up to a minute); the connection's
    // idle timeout is raised for as long as it may take, and put back after.
    IdleTimeout idle = IdleTimeout.atLeast(ctx, deadline + IDLE_MARGIN.toMillis());
    ctx.future(
        () ->
            face.bridge()
                .callAsync(
                    ctx.pathParam("method"), body, ctx.header("Authorization"), timeout, client)
                .handle(
                    (answer, failure) -> {
                      idle.close();
                      if (failure != null) {
                        throw new IllegalStateException("the bridge failed", failure);
                      }
                      send(ctx, refusedCounted(ctx, answer, client, refused));
                      return null;
                    }));
  }

  /**
   * {@code answer}, or when it refused the device token and that put the client address over the
   * limit, the refusal that says so.
   */
  private static ConnectResponse refusedCounted(
      Context ctx, ConnectResponse answer, String client, RefusedTokens refused) {
    if (answer.errorCode() != Status.Code.UNAUTHENTICATED) {
      return answer;
    }
    long over = refused.count(client);
    if (over == 0) {
      return answer;
    }
    ctx.header("Retry-After", Long.toString(over));
    return tooManyRefused(over);
  }

  private static ConnectResponse tooManyRefused(long wait) {
    return ConnectResponse.error(
        Status.Code.RESOURCE_EXHAUSTED,
        "too many refused device tokens from this address; retry in " + wait + " s");
  }

  private static ConnectResponse tooLarge(String size) {
    return ConnectResponse.error(
        Status.Code.RESOURCE_EXHAUSTED,
        "request body of "
            + size
            + " bytes; at most "
            + ConnectBridge.MAX_BODY_BYTES
            + " (send large files with UploadPart, in parts of at most 4 MiB)");
  }

  /** A refusal for a request whose headers are not a Connect unary call of ours, else null. */
  private static ConnectResponse checkHeaders(Context ctx) {
    String type = ctx.header("Content-Type");
    String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!base.equals(ConnectBridge.PROTO)) {
      ConnectResponse r =
          ConnectResponse.error(
              Status.Code.INVALID_ARGUMENT,
              "Content-Type \""
                  + HttpErrors.shorten(String.valueOf(type))
                  + "\"; expected application/proto (Connect unary, protobuf binary)");
      return new ConnectResponse(415, r.contentType(), r.body(), r.headers());
    }
    String version = ctx.header("Connect-Protocol-Version");
    if (version != null && !version.strip().equals(ConnectBridge.PROTOCOL_VERSION)) {
      return ConnectResponse.error(
          Status.Code.INVALID_ARGUMENT,
          "Connect-Protocol-Version \""
              + HttpErrors.shorten(version)
              + "\"; expected "
              + ConnectBridge.PROTOCOL_VERSION);
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > ConnectBridge.MAX_BODY_BYTES) {
      return tooLarge(Long.toString(declared));
    }
    return null;
  }

  /** The body, or null when it passes {@link ConnectBridge#MAX_BODY_BYTES}. */
  private static byte[] readBody(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      int max = (int) ConnectBridge.MAX_BODY_BYTES;
      byte[] body = in.readNBytes(declared >= 0 ? (int) Math.min(declared, max) : max);
      if (in.read() >= 0) {
        return null;
      }
      return body;
    }
  }

  private static void send(Context ctx, ConnectResponse r) {
    ctx.status(r.httpStatus());
    ctx.contentType(r.contentType());
    for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
      for (String v : h.getValue()) {
        ctx.res().addHeader(h.getKey(), v);
      }
    }
    ctx.result(r.body());
  }

  /**
   * Raises the connection's idle timeout for one call (a long poll sends nothing while it waits)
   * and puts it back after.
   */
  private record IdleTimeout(EndPoint endPoint, long before) implements AutoCloseable {
    static IdleTimeout atLeast(Context ctx, long millis) {
      EndPoint e =
          ServletContextRequest.getServletContextRequest(ctx.req())
              .getConnectionMetaData()
              .getConnection()
              .getEndPoint();
      long before = e.getIdleTimeout();
      if (before > 0 && before < millis) {
        e.setIdleTimeout(millis);
      }
      return new IdleTimeout(e, before);
    }

    @Override
    public void close() {
      endPoint.setIdleTimeout(before);
    }
  }
}
