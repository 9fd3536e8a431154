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
 * costs no second serialization) plus the 5-byte gRPC message prefix. Messages sent or received
 * gzip-compressed (large ledger pages and batches of moves; see {@link
 * WireLimits#worthCompressing}) count their gzip size, computed the way gRPC's gzip codec does, so
 * the figure is what crosses the wire above HTTP/2. It works the same on every transport, including
 * in-process, which reports no wire sizes to stream tracers.
 */
final class WireStatsCounter implements ClientInterceptor, WireStats {
  /** Length of the gRPC message prefix (compressed flag and 4-byte length). */
  static final int MESSAGE_PREFIX_BYTES = 5;

  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private volatile boolean answered;

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions)) {
      private final boolean gzipOut = "gzip".equals(callOptions.getCompressor());

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              private boolean gzipIn;

              @Override
              public void onHeaders(Metadata responseHeaders) {
                answered = true;
                gzipIn = "gzip".equals(responseHeaders.get(ENCODING));
                super.onHeaders(responseHeaders);
              }

              @Override
              public void onMessage(R message) {
                answered = true;
                received.add(size(message, gzipIn));
                super.onMessage(message);
              }
            },
            headers);
      }

      @Override
      public void sendMessage(Q message) {
        sent.add(size(message, gzipOut));
        super.sendMessage(message);
      }
    };
  }

  private static final Metadata.Key<String> ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

  private static long size(Object message, boolean gzip) {
    if (!(message instanceof MessageLite m)) {
      return MESSAGE_PREFIX_BYTES;
    }
    return (gzip ? gzipSize(m) : m.getSerializedSize()) + (long) MESSAGE_PREFIX_BYTES;
  }

  /** The size of {@code m} after gzip at the default level, as gRPC's gzip codec writes it. */
  private static long gzipSize(MessageLite m) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      m.writeTo(gz);
    } catch (java.io.IOException e) {
      return m.getSerializedSize(); // cannot happen in memory
    }
    return out.size();
  }

  /**
   * Whether the server has answered any call of this client (response headers or a message): after
   * that, a failed connection is a lost one, not a server that cannot be reached.
   */
  boolean answered() {
    return answered;
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
