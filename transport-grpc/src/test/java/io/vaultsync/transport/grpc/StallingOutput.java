package io.vaultsync.transport.grpc;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A download target that reads nothing: its first write signals {@link #firstWrite}, then blocks
 * until {@link #release} and fails with the given exception (as a reader that went away).
 */
final class StallingOutput extends OutputStream {
  final CountDownLatch firstWrite = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final IOException failure;

  StallingOutput(IOException failure) {
    this.failure = failure;
  }

  /** Lets the blocked write (and every later one) fail. */
  void release() {
    released.countDown();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    firstWrite.countDown();
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw failure;
  }
}
