package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /login}: a form taking a device token; {@code POST /login}: checks it, starts a
 * server-side session, sets the session cookie and redirects to {@code /}; {@code POST /logout}:
 * ends the session. Always registered by {@link HttpEndpoint}.
 */
public final class LoginRoutes implements HttpRoutes {
  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    routes.get("/login", ctx -> form(ctx, null));
    routes.post("/login", ctx -> login(ctx, services.auth()));
    routes.post(
        "/logout",
        ctx -> {
          services.auth().logout(ctx);
          ctx.redirect("/login", HttpStatus.SEE_OTHER);
        });
  }

  private static void login(Context ctx, HttpAuth auth) throws IOException {
    Optional<String> session = auth.login(ctx.formParam("token"));
    if (session.isEmpty()) {
      ctx.status(401);
      form(ctx, "Unknown or revoked device token.");
      return;
    }
    auth.setSessionCookie(ctx, session.get());
    ctx.redirect("/", HttpStatus.SEE_OTHER);
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
