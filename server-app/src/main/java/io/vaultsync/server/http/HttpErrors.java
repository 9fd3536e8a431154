package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception a handler throws into a 4xx/5xx response with a short plain-text message:
 * never a stack trace, never a server file path. Bad input ({@link IllegalArgumentException}, which
 * includes an invalid {@code NotePath} or vault name; {@link InvalidRequestException}) is a 400
 * naming the bad value (an {@link IllegalArgumentException} thrown outside our code gets a sentence
 * of ours instead of the JDK's text); a missing vault or version a 404; Javalin's {@link
 * HttpResponseException}s keep their status and message. Anything else is a 500 whose body holds
 * only an incident id, and the server's log holds the id with the stack trace.
 */
public final class HttpErrors {
  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Longest message a response carries (bad input is echoed, so it is cut). */
  static final int MAX_MESSAGE_CHARS = 300;

  private HttpErrors() {}

  /** Installs the mapping on {@code routes}. */
  public static void install(RoutesConfig routes) {
    // No route matched: Javalin's message would echo the path.
    routes.exception(EndpointNotFound.class, (e, ctx) -> respond(ctx, 404, "not found"));
    routes.exception(
        HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), e.getMessage()));
    routes.exception(
        IllegalArgumentException.class, (e, ctx) -> respond(ctx, 400, badInput(e, ctx)));
    routes.exception(InvalidRequestException.class, (e, ctx) -> respond(ctx, 400, e.getMessage()));
    routes.exception(NotFoundException.class, (e, ctx) -> respond(ctx, 404, e.getMessage()));
    // A store or file-system miss: the message would name a server path, so it stays generic.
    routes.exception(NoSuchFileException.class, (e, ctx) -> respond(ctx, 404, "not found"));
    routes.exception(Exception.class, HttpErrors::internal);
    // No route matched (or a handler set 404 without a body).
    routes.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            respond(ctx, 404, "not found");
          }
        });
  }

  /**
   * The message of a 400 for {@code e}: its own when our code threw it (it names the bad value in
   * our words), else one sentence of ours: an {@link IllegalArgumentException} from the JDK or a
   * library (a {@code NumberFormatException}, {@code URLDecoder}'s "Illegal hex characters ...")
   * says nothing useful to a client and names Java classes. The original goes to the debug log.
   */
  static String badInput(IllegalArgumentException e, Context ctx) {
    StackTraceElement[] at = e.getStackTrace();
    if (at.length > 0 && at[0].getClassName().startsWith("io.vaultsync.")) {
      return e.getMessage();
    }
    log.debug("HTTP {} {}: bad input: {}", ctx.method(), ctx.path(), e.toString());
    return "malformed request: a part of the address or form could not be read";
  }

  /** Answers {@code status} with {@code message} as plain text, security headers included. */
  public static void respond(Context ctx, int status, String message) {
    SecurityHeaders.apply(ctx);
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"vaultsync\"");
    }
    ctx.status(status);
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(shorten(message == null || message.isBlank() ? "error " + status : message) + "\n");
  }

  private static void internal(Exception e, Context ctx) {
    String incident = HexFormat.of().formatHex(randomBytes(6));
    log.error("HTTP {} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
    respond(ctx, 500, "internal error (incident " + incident + ")");
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String shorten(String message) {
    String oneLine = message.replace('\r', ' ').replace('\n', ' ');
    return oneLine.length() <= MAX_MESSAGE_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
