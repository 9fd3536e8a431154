package io.vaultsync.client.remote;

import io.vaultsync.protocol.VaultTransport;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A transport that forwards every call to another one, with one or two calls answered otherwise:
 * the byte counts ({@link WireCounter#attach}) and {@code close} ({@link RemoteConnector#sharing}).
 * A dynamic proxy, so it forwards whatever the protocol's interfaces declare without listing their
 * methods; the target's exceptions come out unchanged. Costs one reflective call per transport
 * call, nothing next to the work behind it.
 */
final class TransportProxy implements InvocationHandler {
  private final VaultTransport target;
  private final WireCounter counter;
  private final boolean closes;

  private TransportProxy(VaultTransport target, WireCounter counter, boolean closes) {
    this.target = Objects.requireNonNull(target, "target");
    this.counter = counter;
    this.closes = closes;
  }

  /**
   * {@code target}, answering {@link WireCounter} with {@code counter} when it is not null (else as
   * {@code target} does, if it counts), and closing {@code target} on {@code close} only if {@code
   * closes}.
   */
  static VaultTransport forward(VaultTransport target, WireCounter counter, boolean closes) {
    Set<Class<?>> interfaces = new LinkedHashSet<>(List.of(target.getClass().getInterfaces()));
    interfaces.add(VaultTransport.class);
    if (counter != null) {
      interfaces.add(WireCounter.class);
    }
    return (VaultTransport)
        Proxy.newProxyInstance(
            TransportProxy.class.getClassLoader(),
            interfaces.toArray(Class<?>[]::new),
            new TransportProxy(target, counter, closes));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    int arity = method.getParameterCount();
    if (name.equals("equals") && arity == 1) {
      return proxy == args[0];
    }
    if (name.equals("hashCode") && arity == 0) {
      return System.identityHashCode(proxy);
    }
    if (name.equals("close") && arity == 0 && !closes) {
      return null;
    }
    Object to =
        counter != null && method.getDeclaringClass() == WireCounter.class ? counter : target;
    try {
      return method.invoke(to, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
