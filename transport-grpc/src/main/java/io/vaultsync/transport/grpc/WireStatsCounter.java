package io.vaultsync.transport.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts message bytes with a {@link ClientStreamTracer} installed on every call by interception. A
 * tracer sees each message's wire size ({@code outboundWireSize} / {@code inboundWireSize}); the
 * in-process transport reports no wire sizes, so there the uncompressed size is counted instead.
 */
final class WireStatsCounter extends ClientStreamTracer.Factory
    implements ClientInterceptor, WireStats {
  /** Length of the gRPC message prefix (compressed flag and 4-byte length). */
  static final int MESSAGE_PREFIX_BYTES = 5;

  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
    return next.newCall(method, callOptions.withStreamTracerFactory(this));
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void outboundMessageSent(int seqNo, long wireSize, long uncompressedSize) {
        sent.add(size(wireSize, uncompressedSize));
      }

      @Override
      public void inboundMessageRead(int seqNo, long wireSize, long uncompressedSize) {
        received.add(size(wireSize, uncompressedSize));
      }
    };
  }

  private static long size(long wireSize, long uncompressedSize) {
    long body = wireSize >= 0 ? wireSize : Math.max(0, uncompressedSize);
    return body + MESSAGE_PREFIX_BYTES;
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
