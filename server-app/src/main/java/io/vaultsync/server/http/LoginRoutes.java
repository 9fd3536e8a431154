package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /login}: a form taking a device token; {@code POST /login}: checks it, starts a
 * server-side session, sets the session cookie and redirects to {@code /}; {@code POST /logout}:
 * ends the session. Always registered by {@link HttpEndpoint}.
 *
 * <p>Sign-in attempts are limited ({@link AttemptLimiter}): {@value #ATTEMPTS_PER_ADDRESS} a minute
 * per client address and {@value #ATTEMPTS_IN_ALL} a minute in all, then 429 with {@code
 * Retry-After}. A token has 256 random bits, so guessing is hopeless anyway; the limits bound the
 * database and CPU work a client can cause (issue 12 measured 363 attempts a second). Behind a
 * reverse proxy given as trusted ({@code --trusted-proxy}) the limit counts the forwarded client
 * ({@link ClientAddress}); behind any other proxy every client has the proxy's address, so the
 * per-address limit becomes a shared one. The limiters come from the endpoint's {@link HttpState}
 * (named {@value #LIMIT_PER_ADDRESS} and {@value #LIMIT_IN_ALL}), so a server of several processes
 * counts the attempts made on all of them. Sign-out needs the session's CSRF token (the sign-out
 * button's form carries it), so another site cannot sign a browser out.
 */
public final class LoginRoutes implements HttpRoutes {
  /** Sign-in attempts a client address may make per minute. */
  static final int ATTEMPTS_PER_ADDRESS = 10;

  /** Sign-in attempts the endpoint accepts per minute from all clients together. */
  static final int ATTEMPTS_IN_ALL = 100;

  /** The name of the per-address limiter in {@link AttemptLimits}. */
  public static final String LIMIT_PER_ADDRESS = "login-address";

  /** The name of the limiter of all sign-in attempts together in {@link AttemptLimits}. */
  public static final String LIMIT_IN_ALL = "login-all";

  private static final Logger log = LoggerFactory.getLogger(LoginRoutes.class);

  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    AttemptLimits limits = services.state().limits();
    AttemptLimiter perAddress =
        limits.limiter(LIMIT_PER_ADDRESS, ATTEMPTS_PER_ADDRESS, Duration.ofMinutes(1));
    AttemptLimiter inAll = limits.limiter(LIMIT_IN_ALL, ATTEMPTS_IN_ALL, Duration.ofMinutes(1));
    routes.get("/login", ctx -> form(ctx, null));
    routes.post("/login", ctx -> login(ctx, services, perAddress, inAll));
    routes.post("/logout", ctx -> logout(ctx, services.auth()));
  }

  private static void login(
      Context ctx, HttpServices services, AttemptLimiter perAddress, AttemptLimiter inAll)
      throws IOException {
    HttpAuth auth = services.auth();
    String client = services.clients().of(ctx);
    long wait = perAddress.tryAcquire(client);
    if (wait == 0) {
      wait = inAll.tryAcquire("");
    }
    if (wait > 0) {
      log.debug("sign-in attempt from {} refused: over the limit for {} s", client, wait);
      ctx.header("Retry-After", Long.toString(wait));
      HttpErrors.respond(ctx, 429, "too many sign-in attempts; retry in " + wait + " s");
      return;
    }
    Optional<String> session = auth.login(ctx.formParam("token"));
    if (session.isEmpty()) {
      log.info("sign-in from {} failed: unknown or revoked device token", client);
      ctx.status(401);
      form(ctx, "Unknown or revoked device token.");
      return;
    }
    auth.setSessionCookie(ctx, session.get());
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  /**
   * Ends the request's session if it sends the session's CSRF token; a request with a session
   * cookie and a missing or wrong token is refused (403) and the session goes on. Without a session
   * there is nothing to end.
   */
  private static void logout(Context ctx, HttpAuth auth) {
    String session = ctx.cookie(HttpAuth.SESSION_COOKIE);
    if (session != null && !auth.csrf().matches(session, ctx.formParam(CsrfTokens.FIELD))) {
      throw new ForbiddenResponse(
          "missing or wrong form token (csrf); sign out with the button on a page of this server");
    }
    auth.logout(ctx);
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  private static void form(Context ctx, String error) {
    ctx.html(
        Html.page(
            "vaultsync: sign in",
            "<h1>vaultsync</h1>\n"
                + (error == null ? "" : "<p role=\"alert\">" + Html.escape(error) + "</p>\n")
                + "<form method=\"post\" action=\"/login\">\n"
                + "<label>Device token <input type=\"password\" name=\"token\" id=\"token\""
                + " autocomplete=\"off\" required></label>\n"
                + "<button type=\"submit\">Sign in</button>\n</form>\n"
                + "<p>Create a token on the server: <code>vaultsync server token create --data DIR"
                + " --name DEVICE</code></p>"));
  }
}
