package io.vaultsync.transport.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decompresses a compressed request (zstd or gzip) before gRPC parses it, so that one that does not
 * decompress, or decompresses past the maximum inbound message size (a zip bomb), fails the call
 * with a clear status: RESOURCE_EXHAUSTED "Decompressed gRPC message exceeds maximum size 8388608"
 * or INVALID_ARGUMENT naming the encoding and the error. Left to gRPC, a request that fails while
 * being parsed ends as UNKNOWN "Application error processing RPC" with a stack trace in the log.
 * Nothing of a refused request reaches the service. Uncompressed requests pass untouched.
 */
final class CompressedRequestGuard implements ServerInterceptor {
  private static final Metadata.Key<String> ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

  private CompressedRequestGuard() {}

  /** {@code service}, its compressed requests decompressed and checked first. */
  static ServerServiceDefinition guard(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(
        ServerInterceptors.useInputStreamMessages(service), new CompressedRequestGuard());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String encoding = headers.get(ENCODING);
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (encoding == null || encoding.equals("identity")) {
      return listener;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;

      @Override
      @SuppressWarnings("unchecked") // the messages of useInputStreamMessages are InputStreams
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        byte[] bytes;
        try (InputStream in = (InputStream) message) {
          bytes = in.readAllBytes(); // bounded: gRPC's stream stops at the maximum message size
        } catch (StatusRuntimeException e) {
          refuse(e.getStatus());
          return;
        } catch (IOException e) {
          refuse(
              Status.INVALID_ARGUMENT.withDescription(
                  "request compressed with "
                      + encoding
                      + " does not decompress ("
                      + e.getMessage()
                      + "); nothing of it was applied"));
          return;
        }
        super.onMessage((Q) new ByteArrayInputStream(bytes));
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      private void refuse(Status status) {
        refused = true;
        call.close(status, new Metadata());
      }
    };
  }
}
