package io.vaultsync.client.remote;

import io.vaultsync.protocol.RestartableOutput;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a {@link CountingTransport} counted each way, and the stream wrappers that count the
 * delta bytes as they pass. Thread-safe.
 */
final class WireBytes {
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  long sent() {
    return sent.get();
  }

  long received() {
    return received.get();
  }

  void sent(long n) {
    sent.addAndGet(n);
  }

  void received(long n) {
    received.addAndGet(n);
  }

  /**
   * {@code out}, counting every byte written through it as received; restartable (a retried fetch)
   * when {@code out} is.
   */
  OutputStream countingReceived(OutputStream out) {
    if (out instanceof RestartableOutput r) {
      return new RestartableCounting(out, r);
    }
    return new Counting(out);
  }

  /** {@code delta}, counting each byte read from it as sent. */
  InputStream countingSent(InputStream delta) {
    return new FilterInputStream(delta) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          sent.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          sent.addAndGet(n);
        }
        return n;
      }
    };
  }

  /** Counts the bytes written through it as received. */
  private class Counting extends FilterOutputStream {
    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      received.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      received.addAndGet(len);
    }
  }

  /** As {@link Counting}, passing a restart on. */
  private final class RestartableCounting extends Counting implements RestartableOutput {
    private final RestartableOutput target;

    RestartableCounting(OutputStream out, RestartableOutput target) {
      super(out);
      this.target = target;
    }

    @Override
    public void restart() throws IOException {
      target.restart();
    }
  }
}
