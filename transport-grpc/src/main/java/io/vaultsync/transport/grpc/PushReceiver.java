package io.vaultsync.transport.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.VaultTransport;
import io.vaultsync.core.tree.NotePath;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.PushRequest;
import io.vaultsync.transport.grpc.v1.PushResponse;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The server side of one Push call. The first message must be the header; it is checked, then a
 * worker on the executor runs {@code backend.push} reading a {@link ChunkInputStream} that the
 * following chunk messages feed. Auto-request is off: gRPC delivers a message only when the worker
 * has room for it. Protocol errors (no header, two headers, a chunk before the header, a chunk over
 * 1 MiB) answer INVALID_ARGUMENT and abort the worker's stream, so nothing is recorded.
 */
final class PushReceiver implements StreamObserver<PushRequest> {
  private final ServerCallStreamObserver<PushResponse> call;
  private final VaultTransport backend;
  private final Executor executor;
  private final String device;
  private final ChunkInputStream input;
  private final Object responseLock = new Object();
  private boolean headerSeen;
  private boolean responded;

  /** Must be created inside the service method (it turns auto-request off). */
  PushReceiver(
      ServerCallStreamObserver<PushResponse> call,
      VaultTransport backend,
      Executor executor,
      String device,
      Duration idleTimeout) {
    this.call = call;
    this.backend = backend;
    this.executor = executor;
    this.device = device;
    this.input = new ChunkInputStream(WireLimits.PUSH_WINDOW_CHUNKS, idleTimeout, call::request);
    call.disableAutoRequest();
    call.setOnCancelHandler(
        () -> input.abort(new StreamAbortedException("push cancelled by the client", null)));
    // Ended by the server (a revoked token, OpenCalls): stop reading at once. After a normal end
    // the input is complete and an abort changes nothing.
    io.grpc.Context.current()
        .addListener(
            c -> input.abort(new StreamAbortedException("push ended by the server", null)),
            Runnable::run);
    call.request(1);
  }

  @Override
  public void onNext(PushRequest message) {
    switch (message.getKindCase()) {
      case HEADER -> onHeader(message.getHeader());
      case CHUNK -> {
        if (!headerSeen) {
          protocolError("push chunk before the header");
        } else if (message.getChunk().size() > WireLimits.MAX_CHUNK_BYTES) {
          protocolError(
              "push chunk of "
                  + message.getChunk().size()
                  + " bytes; at most "
                  + WireLimits.MAX_CHUNK_BYTES);
        } else {
          input.offer(message.getChunk());
        }
      }
      case KIND_NOT_SET -> protocolError("push message with neither header nor chunk");
    }
  }

  private void onHeader(PushHeader header) {
    if (headerSeen) {
      protocolError("second push header");
      return;
    }
    headerSeen = true;
    String vault;
    NotePath path;
    ContentHash base;
    try {
      vault = FromProto.vault(header.getVault());
      path = FromProto.path("push path", header.getPath());
      base = FromProto.optionalHash("push base", header.getBase());
    } catch (IllegalArgumentException e) {
      respondError(StatusMapping.toStatus(e));
      input.abort(new StreamAbortedException("bad push header", e));
      return;
    }
    try {
      executor.execute(() -> run(vault, path, base));
    } catch (RejectedExecutionException e) {
      respondError(StatusMapping.toStatus(e));
      return;
    }
    input.start();
  }

  private void run(String vault, NotePath path, ContentHash base) {
    try {
      RemoteEntry entry = backend.push(vault, path, base, input, device);
      synchronized (responseLock) {
        if (!responded && !call.isCancelled()) {
          responded = true;
          call.onNext(PushResponse.newBuilder().setEntry(ToProto.entry(entry)).build());
          call.onCompleted();
        }
      }
    } catch (Throwable t) {
      respondError(StatusMapping.toStatus(t));
    }
  }

  @Override
  public void onError(Throwable t) {
    input.abort(new StreamAbortedException("push stream failed: " + t.getMessage(), t));
  }

  @Override
  public void onCompleted() {
    if (!headerSeen) {
      protocolError("push stream ended without a header");
      return;
    }
    input.complete();
  }

  private void protocolError(String message) {
    input.abort(new StreamAbortedException(message, null));
    respondError(Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException());
  }

  private void respondError(StatusRuntimeException status) {
    synchronized (responseLock) {
      if (!responded && !call.isCancelled()) {
        responded = true;
        call.onError(status);
      }
    }
  }
}
