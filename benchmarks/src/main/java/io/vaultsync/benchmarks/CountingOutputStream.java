package io.vaultsync.benchmarks;

import java.io.OutputStream;

/** Discards what is written and counts it, so benchmarks measure the engine, not a disk. */
final class CountingOutputStream extends OutputStream {
  private long count;

  @Override
  public void write(int b) {
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    count += len;
  }

  long count() {
    return count;
  }
}
