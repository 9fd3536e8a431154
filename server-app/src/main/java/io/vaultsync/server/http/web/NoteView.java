package io.vaultsync.server.http.web;

import io.vaultsync.model.tree.NotePath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * How a note shows on its page: Markdown rendered by CommonMark with raw HTML escaped and unsafe
 * link schemes ({@code javascript:} and the like) dropped, so a note can neither run script nor
 * inject markup; plain text as a {@code <pre>}; anything else (or a note larger than {@link
 * #MAX_RENDER_BYTES}, or not valid UTF-8) is not rendered, only offered for download.
 */
final class NoteView {
  /** Largest note rendered inline. */
  static final int MAX_RENDER_BYTES = 2 * 1024 * 1024;

  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  private NoteView() {}

  /** Whether {@code path} is rendered at all, judged by its extension and size. */
  static boolean renderable(NotePath path, long size) {
    return size <= MAX_RENDER_BYTES && (markdown(path) || plainText(path));
  }

  /**
   * The note's HTML, or empty if its bytes are not UTF-8 text (a binary file named {@code .md}).
   */
  static Optional<String> render(NotePath path, byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    if (text.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    if (markdown(path)) {
      return Optional.of(RENDERER.render(PARSER.parse(text)));
    }
    return Optional.of("<pre>" + HtmlWriter.escape(text) + "</pre>");
  }

  private static boolean markdown(NotePath path) {
    String n = path.name().toLowerCase(Locale.ROOT);
    return n.endsWith(".md") || n.endsWith(".markdown");
  }

  private static boolean plainText(NotePath path) {
    String n = path.name().toLowerCase(Locale.ROOT);
    return n.endsWith(".txt") || n.endsWith(".csv") || n.endsWith(".json");
  }
}
