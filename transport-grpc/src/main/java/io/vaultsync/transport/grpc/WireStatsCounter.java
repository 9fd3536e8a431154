package io.vaultsync.transport.grpc;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts message bytes by interception: each message's serialized size (protobuf caches it, so this
 * costs no second serialization) plus the 5-byte gRPC message prefix. The transport does not
 * compress messages (deltas are LZ4-compressed already), so this is what crosses the wire above
 * HTTP/2; it works the same on every transport, including in-process, which reports no wire sizes
 * to stream tracers.
 */
final class WireStatsCounter implements ClientInterceptor, WireStats {
  /** Length of the gRPC message prefix (compressed flag and 4-byte length). */
  static final int MESSAGE_PREFIX_BYTES = 5;

  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();

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
              public void onMessage(R message) {
                received.add(size(message));
                super.onMessage(message);
              }
            },
            headers);
      }

      @Override
      public void sendMessage(Q message) {
        sent.add(size(message));
        super.sendMessage(message);
      }
    };
  }

  private static long size(Object message) {
    int body = message instanceof MessageLite m ? m.getSerializedSize() : 0;
    return (long) body + MESSAGE_PREFIX_BYTES;
  }

  @Override
  public long bytesSent() {
    return sent.sum();
  }

  @Override
  public long bytesReceived() {
    return received.sum();
  }
}
