package io.vaultsync.transport.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.GiveBackResponse;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.PushRequest;
import io.vaultsync.transport.grpc.v1.PushResponse;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The server side of one Push (or GiveBack) call. The first message must be the header; it is
 * checked, then a worker on the executor runs the call's {@link Action} ({@code backend.push}, or
 * {@code backend.giveBack}) reading a {@link ChunkInputStream} that the following chunk messages
 * feed. Auto-request is off: gRPC delivers a message only when the worker has room for it. Protocol
 * errors (no header, two headers, a chunk before the header, a chunk over 1 MiB) answer
 * INVALID_ARGUMENT and abort the worker's stream, so nothing is recorded.
 *
 * @param <R> the call's response
 */
final class PushReceiver<R> implements StreamObserver<PushRequest> {
  /** What a call does with its checked header and the delta that follows it. */
  @FunctionalInterface
  interface Action<R> {
    /**
     * Checks {@code header} (throwing {@link IllegalArgumentException} naming a bad field) and
     * returns the work that reads the delta and answers.
     */
    Work<R> start(PushHeader header);
  }

  /** The work of one call, run on the executor. */
  @FunctionalInterface
  interface Work<R> {
    R run(java.io.InputStream delta) throws Exception;
  }

  /** The Push call: writes a path. */
  static Action<PushResponse> push(VaultTransport backend, String device) {
    return header -> {
      String vault = FromProto.vault(header.getVault());
      NotePath path = FromProto.path("push path", header.getPath());
      ContentHash base = FromProto.optionalHash("push base", header.getBase());
      if (!header.getGiveBack().isEmpty()) {
        throw new IllegalArgumentException("push header with give_back set; expected it empty");
      }
      return delta -> {
        RemoteEntry entry = backend.push(vault, path, base, delta, device);
        return PushResponse.newBuilder().setEntry(ToProto.entry(entry)).build();
      };
    };
  }

  /** The GiveBack call: gives back content the server lacks. */
  static Action<GiveBackResponse> giveBack(VaultTransport backend, String device) {
    return header -> {
      String vault = FromProto.vault(header.getVault());
      ContentHash hash = FromProto.hash("give_back", header.getGiveBack());
      if (!header.getPath().isEmpty() || !header.getBase().isEmpty()) {
        throw new IllegalArgumentException(
            "give-back header with a path or base; expected only vault and give_back");
      }
      return delta ->
          GiveBackResponse.newBuilder()
              .setStored(backend.giveBack(vault, hash, delta, device))
              .build();
    };
  }

  private final ServerCallStreamObserver<R> call;
  private final Action<R> action;
  private final Executor executor;
  private final ChunkInputStream input;
  private final Object responseLock = new Object();
  private boolean headerSeen;
  private boolean responded;

  /** Must be created inside the service method (it turns auto-request off). */
  PushReceiver(
      ServerCallStreamObserver<R> call, Action<R> action, Executor executor, Duration idleTimeout) {
    this.call = call;
    this.action = action;
    this.executor = executor;
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
        } else if (message.getChunk().size() > Limits.CHUNK_BYTES) {
          protocolError(
              "push chunk of "
                  + message.getChunk().size()
                  + " bytes; at most "
                  + Limits.CHUNK_BYTES);
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
    Work<R> work;
    try {
      work = action.start(header);
    } catch (IllegalArgumentException e) {
      respondError(ToStatus.of(e));
      input.abort(new StreamAbortedException("bad push header", e));
      return;
    }
    try {
      executor.execute(() -> run(work));
    } catch (RejectedExecutionException e) {
      respondError(ToStatus.of(e));
      return;
    }
    input.start();
  }

  private void run(Work<R> work) {
    try {
      R response = work.run(input);
      synchronized (responseLock) {
        if (!responded && !call.isCancelled()) {
          responded = true;
          call.onNext(response);
          call.onCompleted();
        }
      }
    } catch (Throwable t) {
      respondError(ToStatus.of(t));
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
