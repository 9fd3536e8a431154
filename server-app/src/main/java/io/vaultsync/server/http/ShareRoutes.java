package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.share.Share;
import io.vaultsync.server.share.ShareLinks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Share links, read-only, for anyone holding the URL:
 *
 * <ul>
 *   <li>{@code GET /s/{token}}: a file share's note rendered as HTML ({@link NoteRenderer}) with a
 *       link to {@code /s/{token}/raw}; a folder share's files at the head, each linking to {@code
 *       /s/{token}/f/{path}} (rendered) and {@code /s/{token}/raw/{path}}, and a zip of the folder
 *       at {@code /s/{token}/zip};
 *   <li>{@code POST /s/{token}}: the password form of a protected share; on success a cookie scoped
 *       to {@code /s/{token}} lets the browser in for {@link #GRANT_LIFETIME}.
 * </ul>
 *
 * <p>An unknown, revoked or expired token, a file share whose file is gone or is another file now,
 * and any path outside the share all get the identical 404 (same status, body and headers), so a
 * response tells nothing about which it was. Paths after {@code f/} and {@code raw/} are decoded
 * once by the server and must be valid {@link NotePath}s under the shared folder in the head
 * manifest; content is streamed by hash from the store, never read from disk by path. Password
 * attempts are limited to {@value #ATTEMPTS_PER_ADDRESS} a minute per client address ({@link
 * ClientAddress}) and {@value #ATTEMPTS_PER_SHARE} a minute per share; beyond that 429 with {@code
 * Retry-After}. The limiters ({@value #LIMIT_PER_ADDRESS}, {@value #LIMIT_PER_SHARE}) and the
 * grants ({@link ShareGrants}) come from the endpoint's {@link HttpState}, so they hold on every
 * process of a server that shares it.
 */
public final class ShareRoutes implements HttpRoutes {
  /** Password attempts per client address per minute. */
  public static final int ATTEMPTS_PER_ADDRESS = 5;

  /** Password attempts per share per minute (from all addresses). */
  public static final int ATTEMPTS_PER_SHARE = 20;

  /** The name of the per-address limiter in {@link AttemptLimits}. */
  public static final String LIMIT_PER_ADDRESS = "share-address";

  /** The name of the per-share limiter in {@link AttemptLimits}. */
  public static final String LIMIT_PER_SHARE = "share-id";

  /** How long a typed password lets a browser in. */
  public static final Duration GRANT_LIFETIME = ShareGrants.LIFETIME;

  static final String GRANT_COOKIE = "vaultsync_share";

  private static final Logger log = LoggerFactory.getLogger(ShareRoutes.class);

  /** The limiters of password attempts, per client address and per share. */
  private record Limits(AttemptLimiter perAddress, AttemptLimiter perShare) {}

  @Override
  public void register(RoutesConfig routes, HttpServices services) {
    ShareLinks links = services.shares();
    AttemptLimits limits = services.state().limits();
    Limits passwordLimits =
        new Limits(
            limits.limiter(LIMIT_PER_ADDRESS, ATTEMPTS_PER_ADDRESS, Duration.ofMinutes(1)),
            limits.limiter(LIMIT_PER_SHARE, ATTEMPTS_PER_SHARE, Duration.ofMinutes(1)));
    routes.get("/s/{token}", ctx -> view(ctx, services, links));
    routes.post("/s/{token}", ctx -> password(ctx, services, passwordLimits));
    routes.get("/s/{token}/raw", ctx -> rawFile(ctx, services, links));
    routes.get("/s/{token}/zip", ctx -> zip(ctx, services, links));
    routes.get("/s/{token}/f/<path>", ctx -> folderNote(ctx, services, links));
    routes.get("/s/{token}/raw/<path>", ctx -> folderRaw(ctx, services, links));
  }

  /** The identical answer to everything that is not a live share or is outside it. */
  static void notFound(Context ctx) {
    HttpErrors.respond(ctx, 404, "not found");
  }

  /**
   * The live share of the request's token, or empty after answering: 404, or the password form if
   * the share has a password this browser has not typed.
   */
  private static Optional<Share> access(Context ctx, HttpServices services, ShareLinks links)
      throws IOException {
    Optional<Share> share = links.open(ctx.pathParam("token"));
    if (share.isEmpty()) {
      notFound(ctx);
      return Optional.empty();
    }
    if (share.get().passwordHash() != null
        && !granted(ctx, services.state().shareGrants(), share.get())) {
      ctx.status(401);
      passwordForm(ctx, null);
      return Optional.empty();
    }
    return share;
  }

  private void view(Context ctx, HttpServices services, ShareLinks links) throws IOException {
    Optional<Share> opened = access(ctx, services, links);
    if (opened.isEmpty()) {
      return;
    }
    Share share = opened.get();
    String base = "/s/" + ctx.pathParam("token");
    if (!share.folder()) {
      Optional<RemoteEntry> file = links.sharedFile(share);
      if (file.isEmpty()) {
        notFound(ctx);
        return;
      }
      note(ctx, services, file.get(), base + "/raw");
      return;
    }
    List<RemoteEntry> files = links.sharedFolder(share);
    if (files.isEmpty()) {
      notFound(ctx);
      return;
    }
    String prefix = share.path().value() + "/";
    StringBuilder list = new StringBuilder("<ul>\n");
    for (RemoteEntry e : files) {
      String rel = e.path().value().substring(prefix.length());
      String href = encodePath(rel);
      list.append("<li><a href=\"")
          .append(base)
          .append("/f/")
          .append(Html.escape(href))
          .append("\">")
          .append(Html.escape(rel))
          .append("</a> <small>(")
          .append(e.size())
          .append(" bytes, <a href=\"")
          .append(base)
          .append("/raw/")
          .append(Html.escape(href))
          .append("\">raw</a>)</small></li>\n");
    }
    list.append("</ul>");
    String name = share.path().name();
    ctx.html(
        Html.page(
            name,
            "<h1>"
                + Html.escape(name)
                + "</h1>\n<p><a href=\""
                + base
                + "/zip\">Download the folder (zip)</a></p>\n"
                + list));
  }

  private void note(Context ctx, HttpServices services, RemoteEntry file, String rawHref)
      throws IOException {
    String name = file.path().name();
    String body;
    if (NoteRenderer.isText(name) && file.size() <= NoteRenderer.MAX_RENDER_BYTES) {
      String text;
      try (InputStream in = services.content().open(file.hash())) {
        text = new String(in.readNBytes((int) file.size()), StandardCharsets.UTF_8);
      }
      body = NoteRenderer.isMarkdown(name) ? NoteRenderer.markdown(text) : NoteRenderer.plain(text);
    } else {
      body = "<p>" + file.size() + " bytes; not shown here.</p>";
    }
    ctx.html(
        Html.page(
            name,
            "<header><h1>"
                + Html.escape(name)
                + "</h1><p><a href=\""
                + Html.escape(rawHref)
                + "\">Download</a></p></header>\n<article>\n"
                + body
                + "</article>"));
  }

  private void rawFile(Context ctx, HttpServices services, ShareLinks links) throws IOException {
    Optional<SharedEntry> shared = sharedEntry(ctx, services, links, links::sharedFile);
    if (shared.isPresent()) {
      raw(ctx, services, shared.get().file());
    }
  }

  private void folderNote(Context ctx, HttpServices services, ShareLinks links) throws IOException {
    Optional<SharedEntry> shared = sharedEntry(ctx, services, links, inFolder(ctx, links));
    if (shared.isEmpty()) {
      return;
    }
    RemoteEntry file = shared.get().file();
    String rel = file.path().value().substring(shared.get().share().path().value().length() + 1);
    note(ctx, services, file, "/s/" + ctx.pathParam("token") + "/raw/" + encodePath(rel));
  }

  private void folderRaw(Context ctx, HttpServices services, ShareLinks links) throws IOException {
    Optional<SharedEntry> shared = sharedEntry(ctx, services, links, inFolder(ctx, links));
    if (shared.isPresent()) {
      raw(ctx, services, shared.get().file());
    }
  }

  /** A file a share gives access to, with its share. */
  private record SharedEntry(Share share, RemoteEntry file) {}

  /** Finds the file a request names within a share it may access. */
  @FunctionalInterface
  private interface EntryLookup {
    Optional<RemoteEntry> find(Share share) throws IOException;
  }

  /**
   * The file {@code lookup} finds in the request's share, or empty after answering: as {@link
   * #access}, or 404 when the share has no such file.
   */
  private static Optional<SharedEntry> sharedEntry(
      Context ctx, HttpServices services, ShareLinks links, EntryLookup lookup) throws IOException {
    Optional<Share> share = access(ctx, services, links);
    if (share.isEmpty()) {
      return Optional.empty();
    }
    Optional<RemoteEntry> file = lookup.find(share.get());
    if (file.isEmpty()) {
      notFound(ctx);
      return Optional.empty();
    }
    return Optional.of(new SharedEntry(share.get(), file.get()));
  }

  /** Looks up the request's {@code path} under a folder share. */
  private static EntryLookup inFolder(Context ctx, ShareLinks links) {
    return share -> inFolder(share, links, ctx.pathParam("path"));
  }

  /** The head entry at {@code relative} under a folder share, if it is a valid path there. */
  private static Optional<RemoteEntry> inFolder(Share share, ShareLinks links, String relative)
      throws IOException {
    if (!share.folder() || relative == null || relative.isEmpty()) {
      return Optional.empty();
    }
    NotePath wanted;
    try {
      wanted = NotePath.of(share.path().value() + "/" + relative);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // "..", backslashes, NUL, overlong: outside any share
    }
    return links.sharedFolder(share).stream().filter(e -> e.path().equals(wanted)).findFirst();
  }

  private void zip(Context ctx, HttpServices services, ShareLinks links) throws IOException {
    Optional<Share> share = access(ctx, services, links);
    if (share.isEmpty()) {
      return;
    }
    List<RemoteEntry> files = links.sharedFolder(share.get());
    if (files.isEmpty()) {
      notFound(ctx);
      return;
    }
    NotePath folder = share.get().path();
    String parent = folder.value().substring(0, folder.value().length() - folder.name().length());
    ctx.disableCompression();
    ctx.contentType("application/zip");
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"share.zip\"; filename*=UTF-8''"
            + encodeFilename(folder.name() + ".zip"));
    ZipWriter.write(files, parent, services.content(), ctx.outputStream());
  }

  private static void raw(Context ctx, HttpServices services, RemoteEntry file) throws IOException {
    String name = file.path().name();
    ctx.disableCompression();
    ctx.contentType(
        NoteRenderer.isText(name) ? "text/plain; charset=utf-8" : "application/octet-stream");
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"download\"; filename*=UTF-8''" + encodeFilename(name));
    ctx.header("Content-Length", Long.toString(file.size()));
    try (InputStream in = services.content().open(file.hash())) {
      OutputStream out = ctx.outputStream();
      in.transferTo(out);
      out.flush();
    }
  }

  private static void password(Context ctx, HttpServices services, Limits limits)
      throws IOException {
    Optional<Share> opened = services.shares().open(ctx.pathParam("token"));
    if (opened.isEmpty() || opened.get().passwordHash() == null) {
      notFound(ctx);
      return;
    }
    Share share = opened.get();
    String client = services.clients().of(ctx);
    long wait = limits.perAddress().tryAcquire(client);
    if (wait == 0) {
      wait = limits.perShare().tryAcquire(share.id());
    }
    if (wait > 0) {
      log.debug("share password attempt from {} refused: over the limit for {} s", client, wait);
      ctx.header("Retry-After", Long.toString(wait));
      HttpErrors.respond(ctx, 429, "too many password attempts; retry in " + wait + " s");
      return;
    }
    String typed = ctx.formParam("password");
    if (typed == null || !ShareLinks.passwordMatches(share, typed.toCharArray())) {
      log.info("wrong password for share {} from {}", share.id(), client);
      ctx.status(401);
      passwordForm(ctx, "Wrong password.");
      return;
    }
    String grant = services.state().shareGrants().issue(share);
    String path = "/s/" + ctx.pathParam("token");
    ctx.res()
        .addHeader(
            "Set-Cookie",
            GRANT_COOKIE
                + "="
                + grant
                + "; Path="
                + path
                + "; Max-Age="
                + GRANT_LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict"
                + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
    ctx.redirect(path, HttpStatus.SEE_OTHER);
  }

  private static boolean granted(Context ctx, ShareGrants grants, Share share) {
    return grants.admits(ctx.cookie(GRANT_COOKIE), share);
  }

  private static void passwordForm(Context ctx, String error) {
    ctx.html(
        Html.page(
            "Password required",
            "<h1>Password required</h1>\n"
                + (error == null ? "" : "<p role=\"alert\">" + Html.escape(error) + "</p>\n")
                + "<form method=\"post\" action=\"/s/"
                + Html.escape(ctx.pathParam("token"))
                + "\"><label>Password <input type=\"password\" name=\"password\" id=\"password\""
                + " autocomplete=\"off\" required></label> <button type=\"submit\">Open</button>"
                + "</form>"));
  }

  /** Each segment percent-encoded (spaces as %20), joined by {@code /}. */
  static String encodePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private static String encodeFilename(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
