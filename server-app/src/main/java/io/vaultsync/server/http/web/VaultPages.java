package io.vaultsync.server.http.web;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.server.http.CsrfTokens;
import io.vaultsync.server.http.HttpServices;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /}: the vaults (files, size, last change); {@code GET /v/{vault}/?dir=FOLDER}: one
 * folder at the vault's head, with breadcrumbs, subfolders first, then files (size, last change),
 * and links to download it as a zip and to share it.
 */
final class VaultPages {
  private final HttpServices services;
  private final CsrfTokens csrf;

  VaultPages(HttpServices services, CsrfTokens csrf) {
    this.services = services;
    this.csrf = csrf;
  }

  void vaults(Context ctx) throws IOException {
    Optional<Owner> owner = Owner.of(ctx, services, csrf);
    if (owner.isEmpty()) {
      return;
    }
    List<VaultInfo> vaults = services.vaults().listVaults();
    HtmlWriter h = new HtmlWriter().raw("<h1>Vaults</h1>\n");
    if (vaults.isEmpty()) {
      h.raw(
          "<p>No vaults yet: <code>vaultsync init</code> a folder on a device to create one.</p>");
    } else {
      h.raw("<table id=\"vaults\"><thead><tr><th>Vault</th><th class=\"num\">Files</th>")
          .raw("<th class=\"num\">Size</th><th>Last change</th><th></th></tr></thead><tbody>\n");
      for (VaultInfo v : vaults) {
        h.raw("<tr><td>")
            .link(WebLinks.folder(v.name(), null), v.name())
            .raw("</td><td class=\"num\">")
            .text(Long.toString(v.files()))
            .raw("</td><td class=\"num\">")
            .text(HtmlWriter.size(v.bytes()))
            .raw("</td><td>")
            .text(HtmlWriter.time(v.lastChange()))
            .raw("</td><td>")
            .link(WebLinks.zip(v.name(), null), "zip")
            .raw("</td></tr>\n");
      }
      h.raw("</tbody></table>");
    }
    owner.get().page(ctx, "Vaults", h);
  }

  void folder(Context ctx) throws IOException {
    Optional<Owner> owner = Owner.of(ctx, services, csrf);
    if (owner.isEmpty()) {
      return;
    }
    VaultName vault = WebParams.vault(ctx);
    NotePath dir = WebParams.optionalPath(ctx, "dir");
    RemoteManifest manifest = services.vaults().manifest(vault.value());
    FolderListing listing = FolderListing.of(dir, manifest.entries());
    if (dir != null && listing.isEmpty()) {
      throw new NotFoundResponse("no folder \"" + dir + "\" in vault " + vault.value());
    }
    String name = vault.value();
    HtmlWriter h = new HtmlWriter();
    breadcrumbs(h, name, dir);
    h.raw("<div class=\"actions\">")
        .link(
            WebLinks.zip(name, dir),
            dir == null ? "Download vault as zip" : "Download folder as zip")
        .raw(" ");
    if (dir != null) {
      h.link(WebLinks.newShare(name, dir), "Share this folder").raw(" ");
    }
    h.link(WebLinks.shares(name), "Share links")
        .raw("</div>\n<table id=\"listing\"><thead><tr><th>Name</th><th class=\"num\">Size</th>")
        .raw("<th>Last change</th></tr></thead><tbody>\n");
    SeqTimes times = new SeqTimes(services.vaults().history(), vault);
    for (FolderListing.Folder f : listing.folders()) {
      h.raw("<tr class=\"folder\"><td>")
          .link(WebLinks.folder(name, f.path()), f.path().name() + "/")
          .raw("</td><td class=\"num\">")
          .text(f.files() + (f.files() == 1 ? " file, " : " files, ") + HtmlWriter.size(f.bytes()))
          .raw("</td><td>")
          .text(times.describe(f.lastSeq()))
          .raw("</td></tr>\n");
    }
    for (RemoteEntry e : listing.files()) {
      h.raw("<tr class=\"file\"><td>")
          .link(WebLinks.file(name, e.path(), 0), e.path().name())
          .raw("</td><td class=\"num\">")
          .text(HtmlWriter.size(e.size()))
          .raw("</td><td>")
          .text(times.describe(e.seq()))
          .raw("</td></tr>\n");
    }
    h.raw("</tbody></table>\n<p>At seq ").text(Long.toString(manifest.headSeq())).raw(".</p>");
    owner.get().page(ctx, dir == null ? name : name + "/" + dir.value(), h);
  }

  /** {@code vaults / name / A / B}: each a link but the last. */
  static void breadcrumbs(HtmlWriter h, String vault, NotePath path) {
    h.raw("<nav class=\"crumbs\" id=\"crumbs\">").link(WebLinks.vaults(), "Vaults").raw(" / ");
    if (path == null) {
      h.raw("<strong>").text(vault).raw("</strong></nav>\n");
      return;
    }
    h.link(WebLinks.folder(vault, null), vault);
    List<String> segments = path.segments();
    NotePath prefix = null;
    for (int i = 0; i < segments.size(); i++) {
      prefix = prefix == null ? NotePath.of(segments.get(0)) : prefix.resolve(segments.get(i));
      h.raw(" / ");
      if (i == segments.size() - 1) {
        h.raw("<strong>").text(segments.get(i)).raw("</strong>");
      } else {
        h.link(WebLinks.folder(vault, prefix), segments.get(i));
      }
    }
    h.raw("</nav>\n");
  }
}
