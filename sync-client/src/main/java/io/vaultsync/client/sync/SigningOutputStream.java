package io.vaultsync.client.sync;

import io.vaultsync.core.signature.SignatureBuilder;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes bytes on and feeds them to a signature builder (the next upload's kept signature). */
final class SigningOutputStream extends FilterOutputStream {
  private final SignatureBuilder builder;

  SigningOutputStream(OutputStream out, SignatureBuilder builder) {
    super(out);
    this.builder = builder;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    builder.update(b, off, len);
  }
}
