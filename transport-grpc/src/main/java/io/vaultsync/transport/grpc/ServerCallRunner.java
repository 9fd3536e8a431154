package io.vaultsync.transport.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Runs the backend side of {@link VaultSyncService}'s calls on the backend executor, never on a
 * gRPC transport thread: a unary call answers once (a failure mapped by {@link ToStatus}), a
 * server-streaming call sends through a {@link FlowControlledSender} and is completed or failed
 * when its producer returns. A full executor answers UNAVAILABLE.
 */
final class ServerCallRunner {
  /** A backend call that may throw anything; mapped by {@link ToStatus}. */
  @FunctionalInterface
  interface Body<T> {
    T call() throws Exception;
  }

  /** The producing side of a server-streaming call. */
  @FunctionalInterface
  interface Producer<T> {
    void run(FlowControlledSender<T> sender) throws Exception;
  }

  /** Work on the executor that answers through a sender. */
  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  private final Executor executor;

  ServerCallRunner(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Answers {@code obs} with {@code body}'s response, or its failure mapped by {@link ToStatus}.
   */
  <T> void unary(StreamObserver<T> obs, Body<T> body) {
    unary(obs, body, ToStatus::of);
  }

  /** As {@link #unary(StreamObserver, Body)} with another mapping of failures. */
  <T> void unary(
      StreamObserver<T> obs, Body<T> body, Function<Throwable, StatusRuntimeException> mapping) {
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) obs;
    call.setOnCancelHandler(() -> {}); // responses after a cancel are dropped, not thrown
    // zstd when the client reads it (read here: the context does not reach the executor)
    boolean zstd = ZstdCodec.peerAccepts();
    Runnable task =
        () -> {
          T response;
          try {
            response = body.call();
          } catch (Throwable t) {
            StatusRuntimeException status = mapping.apply(t);
            if (!call.isCancelled()) {
              call.onError(status);
            }
            return;
          }
          if (!call.isCancelled()) {
            if (response instanceof com.google.protobuf.MessageLite m
                && WireLimits.worthCompressing(m)) {
              if (!zstd || !ZstdCodec.trySet(call)) {
                call.setCompression("gzip");
              }
            }
            call.onNext(response);
            call.onCompleted();
          }
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      call.onError(ToStatus.of(e));
    }
  }

  /** A flow-controlled sender of a server-streaming call's messages. */
  static <T> FlowControlledSender<T> sender(StreamObserver<T> obs) {
    return new FlowControlledSender<>(
        (ServerCallStreamObserver<T>) obs, WireLimits.SERVER_STREAM_QUEUE);
  }

  /** Runs {@code body} on the executor, then completes the call, or fails it. */
  <T> void streaming(StreamObserver<T> obs, Producer<T> body) {
    FlowControlledSender<T> sender = sender(obs);
    execute(
        sender,
        () -> {
          body.run(sender);
          sender.finish();
        });
  }

  /**
   * Runs {@code task} on the executor; what it throws (or a full executor) fails {@code sender}.
   */
  void execute(FlowControlledSender<?> sender, Task task) {
    Runnable run =
        () -> {
          try {
            task.run();
          } catch (Throwable t) {
            sender.fail(t);
          }
        };
    try {
      executor.execute(run);
    } catch (RejectedExecutionException e) {
      sender.fail(e);
    }
  }
}
