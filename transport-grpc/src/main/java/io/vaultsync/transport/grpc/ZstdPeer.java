package io.vaultsync.transport.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Learns from the server's response headers ({@code grpc-accept-encoding}) whether it reads {@link
 * ZstdCodec zstd}, so a client compresses a request with it only towards a server that does: an
 * older server, which would refuse the call (UNIMPLEMENTED), gets today's requests. Until the first
 * answer, nothing is sent with zstd. Thread-safe.
 */
final class ZstdPeer implements ClientInterceptor {
  private final boolean channelCompresses;
  private volatile boolean serverAccepts;

  /**
   * @param channelCompresses whether the channel's compressor registry has zstd (a channel this
   *     client built; one a caller handed in may not)
   */
  ZstdPeer(boolean channelCompresses) {
    this.channelCompresses = channelCompresses;
  }

  /** Whether a request may be sent zstd-compressed now. */
  boolean canSend() {
    return channelCompresses && serverAccepts;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata responseHeaders) {
                serverAccepts = ZstdCodec.accepts(ZstdCodec.acceptEncoding(responseHeaders));
                super.onHeaders(responseHeaders);
              }
            },
            headers);
      }
    };
  }
}
