package io.vaultsync.server.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HtmlWriterTest {
  @Test
  void textAndAttributesAreEscapedSoANoteNameCannotBecomeMarkup() {
    String name = "<script>alert('x')</script> & \"quoted\".md";
    String html =
        new HtmlWriter().link("/v/notes/file?path=" + HtmlWriter.encode(name), name).toString();
    assertThat(html)
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;.md")
        .startsWith("<a href=\"/v/notes/file?path=%3Cscript%3Ealert%28%27x%27%29");
  }

  @Test
  void urlEncodesEachValueAndLeavesOutNullOnes() {
    assertThat(HtmlWriter.url("/v/n/file", "path", "A b/c&d=é.md", "seq", null, "x", "1"))
        .isEqualTo("/v/n/file?path=A%20b%2Fc%26d%3D%C3%A9.md&x=1");
  }

  @Test
  void sizesAndTimesReadAsPeopleReadThem() {
    assertThat(HtmlWriter.size(812)).isEqualTo("812 B");
    assertThat(HtmlWriter.size(4300)).isEqualTo("4.2 KiB");
    assertThat(HtmlWriter.size(13L << 20)).isEqualTo("13.0 MiB");
    assertThat(HtmlWriter.time(Instant.parse("2026-11-26T08:40:42Z")))
        .isEqualTo("2026-11-26 08:40:42 UTC");
    assertThat(HtmlWriter.time(null)).isEqualTo("–");
  }
}
