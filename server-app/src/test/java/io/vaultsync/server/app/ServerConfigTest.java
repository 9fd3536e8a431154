package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void listenParsesHostPortIpv6AndDefaultPort() {
    assertThat(ServerConfig.parseListen("127.0.0.1:7421").getPort()).isEqualTo(7421);
    assertThat(ServerConfig.parseListen("127.0.0.1").getPort()).isEqualTo(7420);
    assertThat(ServerConfig.parseListen("[::1]:9").getAddress().isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> ServerConfig.parseListen("127.0.0.1:70000"))
        .hasMessageContaining("70000");
  }

  @Test
  void nonLoopbackPlaintextNeedsInsecure() {
    Path data = Path.of("data");
    assertThatThrownBy(
            () -> new ServerConfig(data, ServerConfig.parseListen("0.0.0.0:1"), null, false))
        .hasMessageContaining("0.0.0.0");
    assertThat(new ServerConfig(data, ServerConfig.parseListen("0.0.0.0:1"), null, true).insecure())
        .isTrue();
  }
}
