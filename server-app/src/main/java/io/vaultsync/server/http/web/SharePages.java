package io.vaultsync.server.http.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.server.http.CsrfTokens;
import io.vaultsync.server.http.HttpServices;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.share.ShareLinks;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Share links of a vault: {@code GET /v/{vault}/shares} lists the active ones with a revoke button
 * each; {@code GET /v/{vault}/shares/new?path=P} is the form (expiry, optional password); {@code
 * POST /v/{vault}/shares} creates one and shows its URL, once (only a hash of its token is kept);
 * {@code POST /v/{vault}/shares/{id}/revoke} revokes one. Every POST checks the CSRF token.
 */
final class SharePages {
  /** Longest password accepted. */
  static final int MAX_PASSWORD_CHARS = 256;

  private final HttpServices services;
  private final CsrfTokens csrf;
  private final ShareLinks shares;
  private final Clock clock;

  SharePages(HttpServices services, CsrfTokens csrf, Clock clock) {
    this.services = services;
    this.csrf = csrf;
    this.shares = services.shares();
    this.clock = clock;
  }

  void list(Context ctx) throws IOException {
    Optional<Owner> owner = Owner.of(ctx, services, csrf);
    if (owner.isEmpty()) {
      return;
    }
    VaultName vault = WebParams.vault(ctx);
    Instant now = clock.instant();
    List<ShareInfo> links =
        shares.list(vault).stream()
            .filter(l -> !l.revoked() && (l.expires() == null || l.expires().isAfter(now)))
            .toList();
    HtmlWriter h = new HtmlWriter();
    VaultPages.breadcrumbs(h, vault.value(), null);
    h.raw("<h1>Share links</h1>\n");
    if (links.isEmpty()) {
      h.raw("<p id=\"no-shares\">No active share links. Share a file or folder from its page.</p>");
    } else {
      h.raw("<table id=\"shares\"><thead><tr><th>Shared</th><th>Created</th><th>Expires</th>")
          .raw("<th>Password</th><th></th></tr></thead><tbody>\n");
      for (ShareInfo l : links) {
        h.raw("<tr><td>")
            .text(l.path().value())
            .text(l.folder() ? " (folder)" : "")
            .raw("</td><td>")
            .text(HtmlWriter.time(l.created()) + " by " + l.createdBy())
            .raw("</td><td>")
            .text(l.expires() == null ? "never" : HtmlWriter.time(l.expires()))
            .raw("</td><td>")
            .text(l.passwordProtected() ? "yes" : "no")
            .raw("</td><td><form class=\"inline\" method=\"post\" action=\"")
            .attr(WebLinks.shares(vault.value()) + "/" + HtmlWriter.encode(l.id()) + "/revoke")
            .raw("\">")
            .hidden(CsrfTokens.FIELD, owner.get().csrf())
            .raw("<button type=\"submit\" class=\"revoke\">Revoke</button></form></td></tr>\n");
      }
      h.raw("</tbody></table>\n");
    }
    owner.get().page(ctx, "Share links of " + vault.value(), h);
  }

  void form(Context ctx) throws IOException {
    Optional<Owner> owner = Owner.of(ctx, services, csrf);
    if (owner.isEmpty()) {
      return;
    }
    VaultName vault = WebParams.vault(ctx);
    NotePath path = WebParams.path(ctx, "path");
    HtmlWriter h = new HtmlWriter();
    VaultPages.breadcrumbs(h, vault.value(), path);
    h.raw("<h1>Share ")
        .text(path.value())
        .raw("</h1>\n<form method=\"post\" action=\"")
        .attr(WebLinks.shares(vault.value()))
        .raw("\">")
        .hidden(CsrfTokens.FIELD, owner.get().csrf())
        .hidden("path", path.value())
        .raw("<fieldset><p><label>Expires after <select name=\"expires\" id=\"share-expires\">");
    for (ShareExpiry e : ShareExpiry.CHOICES) {
      h.raw("<option value=\"")
          .attr(e.value())
          .raw(e == ShareExpiry.DEFAULT ? "\" selected>" : "\">")
          .text(e.label())
          .raw("</option>");
    }
    h.raw("</select></label></p>\n<p><label>Password (optional) <input type=\"password\"")
        .raw(" name=\"password\" id=\"share-password\" autocomplete=\"new-password\" maxlength=\"")
        .raw(Integer.toString(MAX_PASSWORD_CHARS))
        .raw("\"></label></p>\n<p>The link is read-only and follows this item, not its path: a")
        .raw(" new file created later at the same path is not shared.</p>\n")
        .raw("<button type=\"submit\" id=\"share-create\">Create link</button></fieldset></form>");
    owner.get().page(ctx, "Share", h);
  }

  void create(Context ctx) throws IOException {
    Optional<Owner> owner = Owner.forPost(ctx, services, csrf);
    if (owner.isEmpty()) {
      return;
    }
    VaultName vault = WebParams.vault(ctx);
    NotePath path = WebParams.path(ctx, "path");
    ShareExpiry expiry = ShareExpiry.of(WebParams.param(ctx, "expires"));
    String password = WebParams.param(ctx, "password");
    if (password != null && password.length() > MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "password of " + password.length() + " characters; at most " + MAX_PASSWORD_CHARS);
    }
    CreatedShare created =
        shares.create(
            vault,
            path,
            expiry.duration() == null ? null : clock.instant().plus(expiry.duration()),
            password == null || password.isEmpty() ? null : password.toCharArray(),
            owner.get().device());
    HtmlWriter h = new HtmlWriter();
    VaultPages.breadcrumbs(h, vault.value(), path);
    h.raw("<h1>Share link created</h1>\n<p class=\"notice\">Copy it now: it is shown only once")
        .raw(" (the server keeps only a hash of it).</p>\n")
        .raw("<p><input type=\"text\" class=\"url\" id=\"share-url\" readonly value=\"")
        .attr(created.url())
        .raw("\"></p>\n<p>")
        .text(
            created.info().expires() == null
                ? "Never expires"
                : "Expires " + HtmlWriter.time(created.info().expires()))
        .text(created.info().passwordProtected() ? "; asks for the password." : ".")
        .raw("</p>\n<p>")
        .link(WebLinks.shares(vault.value()), "All share links of this vault")
        .raw("</p>");
    ctx.status(HttpStatus.CREATED);
    owner.get().page(ctx, "Share link created", h);
  }

  void revoke(Context ctx) throws IOException {
    Optional<Owner> owner = Owner.forPost(ctx, services, csrf);
    if (owner.isEmpty()) {
      return;
    }
    VaultName vault = WebParams.vault(ctx);
    String id = ctx.pathParam("id");
    if (id.length() > 128) {
      throw new NotFoundResponse("no share link with that id in vault " + vault.value());
    }
    shares.revoke(vault, id); // NotFoundException (404) if the vault has no such link
    ctx.redirect(WebLinks.shares(vault.value()), HttpStatus.SEE_OTHER);
  }
}
