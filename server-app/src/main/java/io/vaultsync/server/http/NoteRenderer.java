package io.vaultsync.server.http;

import java.util.Locale;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders a shared note as HTML with CommonMark: raw HTML in the note is escaped (shown as text, so
 * a note cannot inject a script or a form), and link and image URLs are sanitized (only http,
 * https, mailto and relative ones survive; {@code javascript:} and {@code data:} become empty). The
 * content security policy forbids scripts on top.
 */
public final class NoteRenderer {
  /** Largest note rendered as HTML; larger ones get only the raw download. */
  public static final long MAX_RENDER_BYTES = 2L << 20;

  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  private NoteRenderer() {}

  /** Whether a file with this name is Markdown. */
  public static boolean isMarkdown(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".md") || n.endsWith(".markdown");
  }

  /** Whether a file with this name is plain text. */
  public static boolean isText(String name) {
    return isMarkdown(name) || name.toLowerCase(Locale.ROOT).endsWith(".txt");
  }

  /** The HTML of a Markdown note. */
  public static String markdown(String text) {
    return RENDERER.render(PARSER.parse(text));
  }

  /** A plain-text note as escaped preformatted HTML. */
  public static String plain(String text) {
    return "<pre>" + Html.escape(text) + "</pre>";
  }
}
