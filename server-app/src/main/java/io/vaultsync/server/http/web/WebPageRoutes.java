package io.vaultsync.server.http.web;

import io.javalin.config.RoutesConfig;
import io.vaultsync.server.http.CsrfTokens;
import io.vaultsync.server.http.HttpRoutes;
import io.vaultsync.server.http.HttpServices;
import java.time.Clock;

/**
 * The owner's web page: plain server-rendered HTML, no script, every form protected by a
 * per-session CSRF token. Sign-in and sign-out ({@code /login}, {@code /logout}) belong to the
 * endpoint; a page asked for without a session redirects there.
 *
 * <ul>
 *   <li>{@code GET /}: the vaults
 *   <li>{@code GET /v/{vault}/?dir=FOLDER}: a folder at the head
 *   <li>{@code GET /v/{vault}/file?path=P[&seq=S]}: a file, rendered, with its history
 *   <li>{@code GET /v/{vault}/raw?path=P[&seq=S]}: one version's bytes, as an attachment
 *   <li>{@code GET /v/{vault}/shares}, {@code GET /v/{vault}/shares/new?path=P}, {@code POST
 *       /v/{vault}/shares} (create), {@code POST /v/{vault}/shares/{id}/revoke}: share links
 *   <li>{@code GET /web.css}: the stylesheet
 * </ul>
 */
public final class WebPageRoutes implements HttpRoutes {
  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    CsrfTokens csrf = services.auth().csrf();
    VaultPages vaults = new VaultPages(services, csrf);
    FilePages files = new FilePages(services, csrf);
    SharePages shares = new SharePages(services, csrf, Clock.systemUTC());
    routes.get(
        WebStyle.PATH,
        ctx -> {
          ctx.contentType("text/css; charset=utf-8");
          ctx.result(WebStyle.CSS);
        });
    routes.get("/", vaults::vaults);
    routes.get("/v/{vault}", vaults::folder);
    routes.get("/v/{vault}/", vaults::folder);
    routes.get("/v/{vault}/file", files::file);
    routes.get("/v/{vault}/raw", files::raw);
    routes.get("/v/{vault}/shares", shares::list);
    routes.get("/v/{vault}/shares/new", shares::form);
    routes.post("/v/{vault}/shares", shares::create);
    routes.post("/v/{vault}/shares/{id}/revoke", shares::revoke);
  }
}
