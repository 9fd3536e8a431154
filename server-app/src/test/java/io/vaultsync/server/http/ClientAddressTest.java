package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: which address a request is counted under. From a trusted proxy, the right-most {@code
 * X-Forwarded-For} entry that is not a trusted proxy; from anyone else, the peer; an unreadable
 * header, the peer. Literals only: nothing here ever asks DNS.
 */
class ClientAddressTest {
  private static final ClientAddress BEHIND =
      ClientAddress.behind(
          List.of(ClientAddress.parse("10.0.0.1"), ClientAddress.parse("10.0.0.2")));

  @Test
  void aTrustedProxysForwardedClientIsTheRightMostUntrustedEntry() {
    assertThat(BEHIND.resolve("10.0.0.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assertThat(BEHIND.resolve("10.0.0.1", List.of("1.2.3.4, 203.0.113.7")))
        .isEqualTo("203.0.113.7");
    // Through two trusted proxies: the second appended the first.
    assertThat(BEHIND.resolve("10.0.0.1", List.of("1.2.3.4, 203.0.113.7, 10.0.0.2")))
        .isEqualTo("203.0.113.7");
    // Several header lines are one list, in order.
    assertThat(BEHIND.resolve("10.0.0.1", List.of("1.2.3.4", "203.0.113.7,10.0.0.2")))
        .isEqualTo("203.0.113.7");
    // Every entry a trusted proxy: the left-most.
    assertThat(BEHIND.resolve("10.0.0.1", List.of("10.0.0.2, 10.0.0.1"))).isEqualTo("10.0.0.2");
    // Ports and brackets as some proxies write them; IPv6 in one form.
    assertThat(BEHIND.resolve("10.0.0.1", List.of("203.0.113.7:5123"))).isEqualTo("203.0.113.7");
    assertThat(BEHIND.resolve("10.0.0.1", List.of("[2001:db8::7]:5123")))
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(BEHIND.resolve("10.0.0.1", List.of("2001:DB8:0::7")))
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(BEHIND.resolve("10.0.0.1", List.of("::ffff:203.0.113.7"))).isEqualTo("203.0.113.7");
    // The peer as the container gives it, in brackets.
    assertThat(
            ClientAddress.behind(List.of(ClientAddress.parse("::1")))
                .resolve("[0:0:0:0:0:0:0:1]", List.of("203.0.113.7")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void theHeaderIsIgnoredFromAnUntrustedPeerAndWithoutTrustedProxies() {
    assertThat(BEHIND.resolve("198.51.100.9", List.of("203.0.113.7"))).isEqualTo("198.51.100.9");
    assertThat(ClientAddress.direct().resolve("10.0.0.1", List.of("203.0.113.7")))
        .isEqualTo("10.0.0.1");
    assertThat(ClientAddress.behind(List.of())).isSameAs(ClientAddress.direct());
    assertThat(BEHIND.resolve("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
  }

  @Test
  void anUnreadableHeaderFromATrustedProxyCountsUnderThePeer() {
    for (String header :
        List.of(
            "",
            " ",
            "unknown",
            "localhost",
            "example.org",
            "203.0.113.7, nonsense",
            "203.0.113.7,",
            "1.2.3",
            "01.2.3.4",
            "256.1.1.1",
            "1.2.3.4:99999",
            "1.2.3.4:",
            "[1.2.3.4]",
            "[2001:db8::7",
            "2001:db8::7%eth0",
            "1:2",
            ":::",
            "_hidden",
            "\u0000",
            "1.2.3.4 5.6.7.8")) {
      assertThat(BEHIND.resolve("10.0.0.1", List.of(header))).as(header).isEqualTo("10.0.0.1");
    }
    // Nonsense left of the client is never read.
    assertThat(BEHIND.resolve("10.0.0.1", List.of("nonsense, 203.0.113.7")))
        .isEqualTo("203.0.113.7");
    String tooMany =
        String.join(",", Collections.nCopies(ClientAddress.MAX_ENTRIES + 1, "10.0.0.2"));
    assertThat(BEHIND.resolve("10.0.0.1", List.of(tooMany))).isEqualTo("10.0.0.1");
  }

  @Test
  void onlyIpAddressLiteralsAreProxyAddresses() {
    assertThat(ClientAddress.parse("10.0.0.5").getHostAddress()).isEqualTo("10.0.0.5");
    assertThat(ClientAddress.parse("fd00::5").getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:5");
    assertThat(ClientAddress.parse("[::1]").isLoopbackAddress()).isTrue();
    for (String bad :
        List.of("nonsense", "localhost", "proxy.example.org", "10.0.0", "", "1.2.3.4/24")) {
      assertThatThrownBy(() -> ClientAddress.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("\"" + bad + "\" is not an IP address; expected e.g. 10.0.0.5 or fd00::5");
    }
  }
}
