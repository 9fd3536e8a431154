package io.vaultsync.client.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The forwarding proxies: how the gRPC connector hands its byte counts to the sync ({@link
 * WireCounter#attach}) and how an app shares one in-process transport ({@link
 * RemoteConnector#sharing}).
 */
class TransportProxyTest {
  private static WireCounter counts(long sent, long received) {
    return new WireCounter() {
      @Override
      public long bytesSent() {
        return sent;
      }

      @Override
      public long bytesReceived() {
        return received;
      }
    };
  }

  @Test
  void anAttachedCounterAnswersForTheTransportAndCallsReachIt() throws Exception {
    try (InProcessVaultTransport server = new InProcessVaultTransport()) {
      VaultTransport t = WireCounter.attach(server, counts(5, 7));
      t.createVault("notes");
      assertThat(server.manifest("notes").entries()).isEmpty(); // the call reached the server
      assertThat(t.manifest("notes").headSeq()).isZero();
      assertThat(WireCounter.of(t).bytesSent()).isEqualTo(5);
      assertThat(WireCounter.of(t).bytesReceived()).isEqualTo(7);
      assertThat(WireCounter.of(server)).isSameAs(WireCounter.NONE);
    }
  }

  @Test
  void theTransportsExceptionsComeOutUnchanged() throws Exception {
    try (InProcessVaultTransport server = new InProcessVaultTransport()) {
      VaultTransport t = WireCounter.attach(server, WireCounter.NONE);
      assertThatThrownBy(() -> t.manifest("no-such-vault"))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("no-such-vault");
    }
  }

  @Test
  void aSharedTransportOutlivesTheConnectionsThatCloseIt() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    VaultTransport shared =
        (VaultTransport)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {VaultTransport.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    closed.incrementAndGet();
                  }
                  return null;
                });
    RemoteConnector connector = RemoteConnector.sharing(shared);
    connector.connect(URI.create("inprocess://a"), "t").close();
    connector.connect(URI.create("inprocess://b"), "t").close();
    assertThat(closed).hasValue(0);
    WireCounter.attach(shared, WireCounter.NONE).close(); // an attached counter does close
    assertThat(closed).hasValue(1);
  }
}
