package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --http} and {@code --public-url}: defaults, the loopback rule, the link base URL. */
class HttpSettingsTest {
  @Test
  void defaultsToPort7421AndLinksAtTheBoundAddress() {
    HttpSettings s = HttpSettings.of("127.0.0.1", null, null, false);
    assertThat(s.listen().getPort()).isEqualTo(HttpSettings.DEFAULT_PORT);
    assertThat(s.publicUrl(40001)).isEqualTo(URI.create("http://127.0.0.1:40001"));
    assertThat(HttpSettings.of("[::1]", null, null, false).listen().getPort()).isEqualTo(7421);
    assertThat(HttpSettings.of("::1", null, null, false).listen().getPort()).isEqualTo(7421);
    assertThat(HttpSettings.of("[::1]:0", null, null, false).publicUrl(5))
        .isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:5"));
  }

  @Test
  void publicUrlWinsAndLosesATrailingSlash() {
    HttpSettings s = HttpSettings.of("127.0.0.1:0", "https://notes.example.org/", null, false);
    assertThat(s.publicUrl(1234)).isEqualTo(URI.create("https://notes.example.org"));
  }

  @Test
  void plaintextOffLoopbackNeedsInsecureAndBadUrlsAreRefused() {
    assertThatThrownBy(() -> HttpSettings.of("0.0.0.0:7421", null, null, false))
        .hasMessageContaining("refusing to serve plaintext HTTP on 0.0.0.0");
    assertThat(HttpSettings.of("0.0.0.0:7421", null, null, true).listen().getPort())
        .isEqualTo(7421);
    assertThatThrownBy(() -> HttpSettings.of("127.0.0.1:0", "notes.example.org", null, false))
        .hasMessageContaining("expected http(s)://HOST");
    assertThatThrownBy(() -> HttpSettings.of("127.0.0.1:0", "https://x/?a=b", null, false))
        .hasMessageContaining("expected http(s)://HOST");
  }

  @Test
  void trustedProxiesAreIpAddressesAndNoneByDefault() {
    assertThat(HttpSettings.of("127.0.0.1:0", null, null, false).trustedProxies()).isEmpty();
    HttpSettings s =
        HttpSettings.of("127.0.0.1:0", null, List.of("10.0.0.1", " fd00::5", "[::1]"), null, false);
    assertThat(s.trustedProxies())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("10.0.0.1", "fd00:0:0:0:0:0:0:5", "0:0:0:0:0:0:0:1");
    assertThatThrownBy(
            () -> HttpSettings.of("127.0.0.1:0", null, List.of("10.0.0.1", "proxy"), null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--trusted-proxy \"proxy\" is not an IP address; expected e.g. 10.0.0.5 or fd00::5");
  }
}
