package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;

/**
 * {@code GET /} until the web page lands: signed in, a line naming the device and a sign-out
 * button; otherwise a redirect to {@code /login}. The web page replaces this class (remove its line
 * from {@code META-INF/services/io.vaultsync.server.http.HttpRoutes}).
 */
public final class HomePlaceholderRoutes implements HttpRoutes {
  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    routes.get(
        "/",
        ctx -> {
          var device = services.auth().device(ctx);
          if (device.isEmpty()) {
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
            return;
          }
          ctx.html(
              Html.page(
                  "vaultsync",
                  "<p>Signed in as "
                      + Html.escape(device.get())
                      + ".</p><form method=\"post\" action=\"/logout\"><button>Sign out</button>"
                      + "</form>"));
        });
  }
}
