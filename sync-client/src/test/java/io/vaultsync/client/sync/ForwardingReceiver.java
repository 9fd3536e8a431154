package io.vaultsync.client.sync;

import io.vaultsync.protocol.FetchReceiver;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link FetchReceiver} that passes every call on to another (not {@link #abandon}: a test's
 * receiver cannot take a delta back); tests override the calls they watch or break.
 */
class ForwardingReceiver implements FetchReceiver {
  private final FetchReceiver inner;

  ForwardingReceiver(FetchReceiver inner) {
    this.inner = inner;
  }

  @Override
  public OutputStream begin(int index) throws IOException {
    return inner.begin(index);
  }

  @Override
  public void end(int index) throws IOException {
    inner.end(index);
  }

  @Override
  public void notFound(int index, String message) throws IOException {
    inner.notFound(index, message);
  }
}
