package io.vaultsync.transport.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * The sending half of a server-streaming call that honours gRPC flow control. A producer thread
 * calls {@link #send}, which queues the message and blocks while {@code capacity} messages are
 * already queued; messages leave the queue only while the call {@link
 * ServerCallStreamObserver#isReady is ready} (and again from the on-ready handler). So a client
 * that stops reading makes the producer block instead of the server buffering without bound: memory
 * is at most {@code capacity} messages plus what gRPC holds below its ready threshold.
 *
 * <p>When the call is cancelled (client gone, deadline passed) the blocked producer wakes up with a
 * {@link StreamAbortedException}. Thread-safe; the observer is only ever called under one lock.
 */
final class FlowControlledSender<T> {
  private final ServerCallStreamObserver<T> call;
  private final int capacity;
  private final Object lock = new Object();
  private final Object drainLock = new Object();
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private boolean finished;
  private Throwable failure;
  private boolean cancelled;
  private boolean closed;
  private Runnable onCancel = () -> {};
  private Runnable onRoom = () -> {};
  private boolean wantsRoom;

  /** Must be created inside the service method, before it returns (it installs handlers). */
  FlowControlledSender(ServerCallStreamObserver<T> call, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity " + capacity + "; expected >= 1");
    }
    this.call = call;
    this.capacity = capacity;
    call.setOnReadyHandler(this::drain);
    call.setOnCancelHandler(this::cancelled);
    // The call's context is cancelled when the call ends, and at once when the server ends it (a
    // revoked token, OpenCalls), even if the client reads nothing and no cancel callback comes.
    io.grpc.Context.current()
        .addListener(
            c -> {
              synchronized (lock) {
                if (closed) {
                  return; // completed or failed normally
                }
              }
              cancelled();
            },
            Runnable::run);
  }

  /** Queues {@code message}, blocking while the queue is full. */
  void send(T message) throws IOException {
    synchronized (lock) {
      while (queue.size() >= capacity && !cancelled) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the client to read");
        }
      }
      if (cancelled) {
        throw new StreamAbortedException("the call was cancelled (client gone or deadline)", null);
      }
      queue.add(message);
    }
    drain();
  }

  /** Completes the call once every queued message has been sent. */
  void finish() {
    synchronized (lock) {
      finished = true;
    }
    drain();
  }

  /** Fails the call with the status {@link ToStatus#of} gives {@code t}, at once. */
  void fail(Throwable t) {
    synchronized (lock) {
      failure = t;
      queue.clear();
      lock.notifyAll();
    }
    drain();
  }

  /**
   * Whether a message can be queued without going over capacity. When not, the {@link #onRoom} hook
   * runs once the queue has room again: a producer that must not block (the change feed's shared
   * pump threads) stops and is resumed by the hook.
   */
  boolean hasRoom() {
    synchronized (lock) {
      boolean room = queue.size() < capacity || cancelled;
      if (!room) {
        wantsRoom = true;
      }
      return room;
    }
  }

  /** Runs {@code hook} when the queue has room again after {@link #hasRoom} said it had none. */
  void onRoom(Runnable hook) {
    synchronized (lock) {
      this.onRoom = java.util.Objects.requireNonNull(hook, "hook");
    }
  }

  /**
   * Queues {@code message} without blocking, even over capacity (a producer checks {@link #hasRoom}
   * first, so the excess is at most what it produces between checks).
   */
  void offer(T message) throws IOException {
    synchronized (lock) {
      if (cancelled) {
        throw new StreamAbortedException("the call was cancelled (client gone or deadline)", null);
      }
      queue.add(message);
    }
    drain();
  }

  /** Runs {@code hook} (once) when the call is cancelled: the client went away or cancelled. */
  void onCancel(Runnable hook) {
    java.util.Objects.requireNonNull(hook, "hook");
    boolean already;
    synchronized (lock) {
      this.onCancel = hook;
      already = cancelled;
    }
    if (already) {
      hook.run();
    }
  }

  /** Messages queued and not yet handed to gRPC (a test hook for flow-control tests). */
  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  private void cancelled() {
    Runnable hook;
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      queue.clear();
      lock.notifyAll();
      hook = onCancel;
    }
    hook.run();
  }

  private void drain() {
    synchronized (drainLock) {
      while (true) {
        T next = null;
        Throwable fail = null;
        Runnable room = null;
        synchronized (lock) {
          if (closed || cancelled) {
            return;
          }
          if (failure != null) {
            fail = failure;
            closed = true;
          } else if (!queue.isEmpty()) {
            if (!call.isReady()) {
              return;
            }
            next = queue.poll();
            lock.notifyAll();
            if (wantsRoom && queue.size() < capacity) {
              wantsRoom = false;
              room = onRoom;
            }
          } else if (finished) {
            closed = true;
          } else {
            return;
          }
        }
        if (next != null) {
          call.onNext(next);
          if (room != null) {
            room.run();
          }
        } else if (fail != null) {
          call.onError(ToStatus.of(fail));
          return;
        } else {
          call.onCompleted();
          return;
        }
      }
    }
  }
}
