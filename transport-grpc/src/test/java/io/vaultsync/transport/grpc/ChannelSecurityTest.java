package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelSecurityTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:443",
        "127.8.9.10:1",
        "localhost:8443",
        "[::1]:443",
        "dns:///localhost:1"
      })
  void loopbackTargetsAreRecognised(String target) {
    assertThat(ChannelSecurity.isLoopbackTarget(target)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1:443",
        "sync.example.org:443",
        "localhost.example.org:1",
        "[2001:db8::1]:443",
        "::1:443",
        "127.0.0.1.nip.io:80"
      })
  void otherTargetsAreNot(String target) {
    assertThat(ChannelSecurity.isLoopbackTarget(target)).isFalse();
  }

  @Test
  void plaintextToARemoteHostNeedsTheExplicitFlag() throws Exception {
    assertThatThrownBy(() -> ChannelSecurity.loopbackPlaintext().credentials("sync.example.org:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sync.example.org:1")
        .hasMessageContaining("insecurePlaintext");
    assertThat(ChannelSecurity.insecurePlaintext().credentials("sync.example.org:1")).isNotNull();
  }

  @Test
  void trustedCaOnlyWithTls() {
    assertThatThrownBy(
            () -> new ChannelSecurity(ChannelSecurity.Mode.LOOPBACK_PLAINTEXT, Path.of("ca.pem")))
        .hasMessageContaining("ca.pem");
  }

  @Test
  void tokensAreCheckedWithoutBeingEchoed() {
    assertThatThrownBy(() -> new BearerTokenCredentials("secret token"))
        .hasMessage("device token has a character outside printable ASCII at index 6");
    assertThatThrownBy(() -> new BearerTokenCredentials(""))
        .hasMessage("device token of 0 chars; expected 1 to 1024");
    assertThat(new BearerTokenCredentials("s3cret")).hasToString("BearerTokenCredentials[***]");
  }
}
