package io.vaultsync.client.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.VaultTransport;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's transport wrapper passes every call on (the proxies of {@link WireCounter#attach}
 * and {@link RemoteConnector#sharing} forward every method by construction: {@link
 * TransportProxyTest}), including the interface's default methods (root, snapshot,
 * snapshotManifest; delete, move and the 3-argument commit go through the 4-argument commit): a
 * wrapper that inherited a default would silently answer "no snapshots" or list the whole manifest
 * instead of asking the server.
 */
class TransportWrappersTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"io.vaultsync.client.remote.CountingTransport"})
  void wrapperOverridesEveryDefaultThatReachesTheServer(String className) throws Exception {
    Class<?> wrapper = Class.forName(className);
    List<String> inherited = new ArrayList<>();
    for (Method m : VaultTransport.class.getMethods()) {
      if (!m.isDefault() || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      if (List.of("delete", "move", "moveFolder").contains(m.getName())
          || (m.getName().equals("commit") && m.getParameterCount() == 3)) {
        continue; // defined by the 4-argument commit, which the wrappers pass on
      }
      try {
        wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        inherited.add(m.getName());
      }
    }
    assertThat(inherited).as("defaults %s does not pass on", className).isEmpty();
  }
}
