package io.vaultsync.server.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NoteViewTest {
  private static String render(String path, String text) {
    return NoteView.render(NotePath.of(path), text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  @Test
  void markdownRendersButRawHtmlAndScriptLinksDoNot() {
    String html =
        render(
            "n.md",
            "# Title\n\n**bold** <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
                + "[click](javascript:alert(3))\n");
    assertThat(html).contains("<h1>Title</h1>", "<strong>bold</strong>");
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("<img")
        .doesNotContain("javascript:")
        .contains("&lt;script&gt;");
  }

  @Test
  void plainTextIsEscapedInAPre() {
    assertThat(render("n.txt", "a <b> & c")).isEqualTo("<pre>a &lt;b&gt; &amp; c</pre>");
  }

  @Test
  void bytesThatAreNotUtf8TextAreNotRendered() {
    assertThat(NoteView.render(NotePath.of("n.md"), new byte[] {(byte) 0xff, (byte) 0xfe}))
        .isEmpty();
    assertThat(NoteView.render(NotePath.of("n.md"), new byte[] {'a', 0, 'b'})).isEmpty();
    assertThat(NoteView.renderable(NotePath.of("photo.png"), 10)).isFalse();
    assertThat(NoteView.renderable(NotePath.of("big.md"), NoteView.MAX_RENDER_BYTES + 1L))
        .isFalse();
  }

  @Test
  void contentDispositionKeepsTheExactNameAndAnAsciiFallback() {
    assertThat(FilePages.contentDisposition("Plan \"é\";.md"))
        .isEqualTo(
            "attachment; filename=\"Plan ____.md\"; filename*=UTF-8''Plan%20%22%C3%A9%22%3B.md");
  }
}
