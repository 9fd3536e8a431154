package io.vaultsync.server.http.web;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.server.http.CsrfTokens;
import io.vaultsync.server.http.HttpServices;
import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VersionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v/{vault}/file?path=P[&seq=S][&before=B]}: a file's page: the note rendered (its
 * head, or as it was right after seq S) and its history (seq, time, device, operation, size;
 * deletes and moves included), newest first, {@value #PAGE} versions a page, each with a link to
 * view and to download it. {@code GET /v/{vault}/raw?path=P[&seq=S]}: the bytes of that version as
 * an attachment, streamed from the content store by hash (never from the master folder).
 */
final class FilePages {
  /** Versions listed per page of history. */
  static final int PAGE = 100;

  private final HttpServices services;
  private final CsrfTokens csrf;

  FilePages(HttpServices services, CsrfTokens csrf) {
    this.services = services;
    this.csrf = csrf;
  }

  /** A page or download of one file: the owner signed in, the vault, the file and the seq. */
  @FunctionalInterface
  private interface FileHandler {
    void handle(Context ctx, Owner owner, VaultName vault, NotePath path, long seq)
        throws IOException;
  }

  /** Reads the file's parameters for {@code handler}, unless {@link Owner#of} answered. */
  private void forFile(Context ctx, FileHandler handler) throws IOException {
    Optional<Owner> owner = Owner.of(ctx, services, csrf);
    if (owner.isPresent()) {
      handler.handle(
          ctx,
          owner.get(),
          WebParams.vault(ctx),
          WebParams.path(ctx, "path"),
          WebParams.optionalSeq(ctx, "seq"));
    }
  }

  void file(Context ctx) throws IOException {
    forFile(ctx, this::filePage);
  }

  void raw(Context ctx) throws IOException {
    forFile(ctx, this::download);
  }

  private void filePage(Context ctx, Owner owner, VaultName vault, NotePath path, long seq)
      throws IOException {
    long before = WebParams.optionalSeq(ctx, "before");
    VersionHistory history = services.vaults().history();
    List<FileVersion> versions =
        history.versions(vault, path, before > 0 ? before : Long.MAX_VALUE, PAGE);
    Optional<FileVersion> shown = versionAt(vault, path, seq > 0 ? seq : Long.MAX_VALUE - 1);
    if (versions.isEmpty() && shown.isEmpty()) {
      throw new NotFoundResponse("no file \"" + path + "\" in the history of vault " + vault);
    }
    String name = vault.value();
    HtmlWriter h = new HtmlWriter();
    VaultPages.breadcrumbs(h, name, path);
    h.raw("<h1 id=\"title\">").text(path.name()).raw("</h1>\n");
    if (shown.isPresent() && present(shown.get(), path)) {
      FileVersion v = shown.get();
      h.raw("<p id=\"showing\">")
          .text(seq > 0 ? "As it was at seq " + v.seq() : "Current version, seq " + v.seq())
          .text(" (" + HtmlWriter.time(v.time()) + ", " + v.device() + ", ")
          .text(HtmlWriter.size(v.size()) + ")")
          .raw("</p>\n<div class=\"actions\">")
          .raw("<a id=\"download\" href=\"")
          .attr(WebLinks.raw(name, path, seq))
          .raw("\">Download this version</a> ")
          .link(WebLinks.newShare(name, path), "Share this file")
          .raw("</div>\n");
      renderNote(h, path, v);
    } else {
      h.raw("<p class=\"notice\" id=\"showing\">")
          .text(
              seq > 0
                  ? "No file at this path right after seq " + seq + "."
                  : "This file was deleted or moved away; its versions are below.")
          .raw("</p>\n");
    }
    historyTable(h, name, path, versions);
    if (versions.size() == PAGE) {
      h.raw("<p>")
          .link(
              WebLinks.olderVersions(name, path, versions.get(versions.size() - 1).seq()),
              "Older versions")
          .raw("</p>");
    }
    owner.page(ctx, name + "/" + path.value(), h);
  }

  private void download(Context ctx, Owner owner, VaultName vault, NotePath path, long seq)
      throws IOException {
    FileVersion v =
        versionAt(vault, path, seq > 0 ? seq : Long.MAX_VALUE - 1)
            .filter(found -> present(found, path))
            .orElseThrow(
                () ->
                    new NotFoundResponse(
                        "no file \""
                            + path
                            + "\" in vault "
                            + vault
                            + (seq > 0 ? " right after seq " + seq : "")));
    ctx.header("Content-Disposition", contentDisposition(path.name()));
    ctx.contentType("application/octet-stream");
    ctx.header("Content-Length", Long.toString(v.size()));
    ctx.result(services.content().open(v.hash()));
  }

  /** The newest version of {@code path} at or before {@code seq}, if any is kept. */
  private Optional<FileVersion> versionAt(VaultName vault, NotePath path, long seq)
      throws IOException {
    List<FileVersion> v = services.vaults().history().versions(vault, path, seq + 1, 1);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Whether after {@code v} a file is at {@code path} (not deleted, not moved away). */
  private static boolean present(FileVersion v, NotePath path) {
    return v.op() != Change.Op.DELETE && v.path().equals(path);
  }

  private void renderNote(HtmlWriter h, NotePath path, FileVersion v) throws IOException {
    if (!NoteView.renderable(path, v.size())) {
      h.raw("<p class=\"notice\">Not shown here (not a text note, or larger than ")
          .text(HtmlWriter.size(NoteView.MAX_RENDER_BYTES))
          .raw("): download it instead.</p>\n");
      return;
    }
    byte[] bytes;
    try (InputStream in = services.content().open(v.hash())) {
      bytes = in.readNBytes(NoteView.MAX_RENDER_BYTES + 1);
    }
    Optional<String> html =
        bytes.length > NoteView.MAX_RENDER_BYTES ? Optional.empty() : NoteView.render(path, bytes);
    if (html.isEmpty()) {
      h.raw("<p class=\"notice\">Not valid UTF-8 text: download it instead.</p>\n");
      return;
    }
    // NoteView escapes raw HTML and drops unsafe link schemes: this is CommonMark's output only.
    h.raw("<article class=\"note\" id=\"note\">").raw(html.get()).raw("</article>\n");
  }

  private static void historyTable(
      HtmlWriter h, String vault, NotePath path, List<FileVersion> versions) {
    h.raw("<h2>History</h2>\n<table id=\"history\"><thead><tr><th class=\"num\">Seq</th>")
        .raw("<th>Time</th><th>Device</th><th>Change</th><th class=\"num\">Size</th><th></th>")
        .raw("</tr></thead><tbody>\n");
    for (FileVersion v : versions) {
      h.raw("<tr data-seq=\"")
          .attr(Long.toString(v.seq()))
          .raw("\"><td class=\"num\">")
          .text(Long.toString(v.seq()))
          .raw("</td><td>")
          .text(HtmlWriter.time(v.time()))
          .raw("</td><td>")
          .text(v.device())
          .raw("</td><td>");
      describe(h, vault, path, v);
      h.raw("</td><td class=\"num\">").text(HtmlWriter.size(v.size())).raw("</td><td>");
      if (present(v, path)) {
        h.link(WebLinks.file(vault, path, v.seq()), "view")
            .raw(" ")
            .raw("<a class=\"download\" href=\"")
            .attr(WebLinks.raw(vault, path, v.seq()))
            .raw("\">download</a>");
      } else if (v.op() == Change.Op.DELETE && v.seq() > 1) {
        // The deleted content is the version just before the delete.
        h.raw("<a class=\"download\" href=\"")
            .attr(WebLinks.raw(vault, path, v.seq() - 1))
            .raw("\">download deleted version</a>");
      }
      h.raw("</td></tr>\n");
    }
    h.raw("</tbody></table>\n");
  }

  private static void describe(HtmlWriter h, String vault, NotePath path, FileVersion v) {
    switch (v.op()) {
      case PUT -> h.text("edit");
      case DELETE -> h.text("delete");
      case MOVE -> {
        if (v.path().equals(path)) {
          h.text("moved here from ")
              .link(WebLinks.file(vault, v.previousPath(), 0), v.previousPath().value());
        } else {
          h.text("moved to ").link(WebLinks.file(vault, v.path(), 0), v.path().value());
        }
      }
    }
  }

  /**
   * {@code attachment} with the name twice: an ASCII fallback with anything else replaced by {@code
   * _}, and the exact UTF-8 name as RFC 6266 / RFC 5987 {@code filename*}.
   */
  static String contentDisposition(String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? c : '_');
    }
    StringBuilder exact = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        exact.append((char) c);
      } else {
        exact.append('%').append(String.format("%02X", c));
      }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + exact;
  }
}
