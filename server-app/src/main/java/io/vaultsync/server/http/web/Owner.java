package io.vaultsync.server.http.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.vaultsync.server.http.CsrfTokens;
import io.vaultsync.server.http.HttpAuth;
import io.vaultsync.server.http.HttpServices;
import java.io.IOException;
import java.util.Optional;

/**
 * The signed-in owner of a page request: the device and the CSRF token its forms carry.
 *
 * @param device the device whose token signed in
 * @param csrf the token for hidden form fields (empty for bearer-token callers, which need none: a
 *     browser never adds an {@code Authorization} header by itself)
 */
record Owner(String device, String csrf) {
  /**
   * The owner of {@code ctx}; if nobody is signed in, redirects to {@code /login} and returns
   * empty.
   */
  static Optional<Owner> of(Context ctx, HttpServices services, CsrfTokens csrf)
      throws IOException {
    Optional<String> device = services.auth().device(ctx);
    if (device.isEmpty()) {
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
      return Optional.empty();
    }
    String session =
        ctx.header("Authorization") == null ? ctx.cookie(HttpAuth.SESSION_COOKIE) : null;
    return Optional.of(new Owner(device.get(), session == null ? "" : csrf.tokenFor(session)));
  }

  /**
   * As {@link #of}, for a POST: a request signed in by the session cookie must also send the
   * session's CSRF token in the form field {@value CsrfTokens#FIELD}.
   *
   * @throws ForbiddenResponse (403) if the token is missing or wrong
   */
  static Optional<Owner> forPost(Context ctx, HttpServices services, CsrfTokens csrf)
      throws IOException {
    Optional<Owner> owner = of(ctx, services, csrf);
    if (owner.isPresent() && ctx.header("Authorization") == null) {
      String session = ctx.cookie(HttpAuth.SESSION_COOKIE);
      if (!csrf.matches(session, ctx.formParam(CsrfTokens.FIELD))) {
        throw new ForbiddenResponse(
            "missing or wrong form token (csrf); reload the page and try again");
      }
    }
    return owner;
  }

  /**
   * Answers {@code ctx} with {@code body} as a page titled {@code title}, signed in as this owner.
   */
  void page(Context ctx, String title, HtmlWriter body) {
    ctx.html(WebLayout.page(title, device, csrf, body.toString()));
  }
}
