package io.vaultsync.transport.grpc;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes of messages as they cross the wire: each message's size as gRPC framed it (after
 * gzip or zstd when the call is compressed, as a {@link ClientStreamTracer} reports it) plus its
 * 5-byte gRPC prefix. A transport that reports no wire sizes (in-process) counts each message's
 * serialized size instead, when the call closes. A sent message counts even if the call then fails.
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
    CallBytes bytes = new CallBytes();
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions.withStreamTracerFactory(bytes))) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata responseHeaders) {
                answered = true;
                super.onHeaders(responseHeaders);
              }

              @Override
              public void onMessage(R message) {
                answered = true;
                bytes.serializedIn.add(size(message));
                super.onMessage(message);
              }

              @Override
              public void onClose(Status status, Metadata trailers) {
                bytes.close();
                super.onClose(status, trailers);
              }
            },
            headers);
      }

      @Override
      public void sendMessage(Q message) {
        bytes.serializedOut.add(size(message));
        super.sendMessage(message);
      }
    };
  }

  /** One call's counts: wire sizes as the transport reports them, serialized sizes as fallback. */
  private final class CallBytes extends ClientStreamTracer.Factory {
    final LongAdder serializedOut = new LongAdder();
    final LongAdder serializedIn = new LongAdder();
    private volatile boolean wireSizes;
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public ClientStreamTracer newClientStreamTracer(
        ClientStreamTracer.StreamInfo info, Metadata headers) {
      return new ClientStreamTracer() {
        @Override
        public void outboundMessageSent(int seqNo, long wireSize, long uncompressedSize) {
          if (wireSize >= 0) {
            wireSizes = true;
            sent.add(wireSize + MESSAGE_PREFIX_BYTES);
          }
        }

        @Override
        public void inboundMessageRead(int seqNo, long wireSize, long uncompressedSize) {
          if (wireSize >= 0) {
            wireSizes = true;
            received.add(wireSize + MESSAGE_PREFIX_BYTES);
          }
        }
      };
    }

    /** At the call's end: a transport that reported no wire sizes counts serialized sizes. */
    void close() {
      if (!wireSizes && closed.compareAndSet(false, true)) {
        sent.add(serializedOut.sum());
        received.add(serializedIn.sum());
      }
    }
  }

  private static long size(Object message) {
    return (message instanceof MessageLite m ? m.getSerializedSize() : 0)
        + (long) MESSAGE_PREFIX_BYTES;
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
