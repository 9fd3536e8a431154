package io.vaultsync.transport.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The address of the client a call comes from, in the call's gRPC {@link Context} ({@link
 * #current()}), for whatever counts or logs by address. On the gRPC port it is the connection's
 * peer ({@link #fromPeer()}, which {@link VaultSyncServices#configure} installs): no header a
 * caller sends can change it. Calls that reach the service through the browser face's in-process
 * bridge carry the browser's address (as the HTTP endpoint resolved it, trusted proxies included)
 * in a header that only the bridge's own in-process server reads ({@link #fromHeader}); that server
 * has a random name and is reachable only inside the process.
 */
public final class ClientAddresses {
  static final Context.Key<String> CLIENT = Context.key("vaultsync-client-address");

  private ClientAddresses() {}

  /** The client address of the current call, or null outside a call of the service. */
  public static String current() {
    return CLIENT.get();
  }

  /** Sets {@link #current()} to the connection's peer address, whatever the call's headers say. */
  public static ServerInterceptor fromPeer() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String address =
            peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(peer);
        return Contexts.interceptCall(
            Context.current().withValue(CLIENT, address), call, headers, next);
      }
    };
  }

  /**
   * Sets {@link #current()} to the value of header {@code key}. Only for a server that nobody
   * outside the process can reach (the bridge's in-process server): on any other, a caller would
   * choose the address it is counted under.
   */
  public static ServerInterceptor fromHeader(Metadata.Key<String> key) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String address = headers.get(key);
        return Contexts.interceptCall(
            Context.current().withValue(CLIENT, address == null ? "unknown" : address),
            call,
            headers,
            next);
      }
    };
  }
}
