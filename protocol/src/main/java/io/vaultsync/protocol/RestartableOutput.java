package io.vaultsync.protocol;

import java.io.IOException;

/**
 * An output that a cut {@link VaultTransport#fetch} may write again from the start. A transport
 * that retries a fetch whose connection broke after some of the delta was written calls {@link
 * #restart}, then writes the whole delta again; an output that is not restartable makes such a
 * failure final (nothing written can be taken back). Implemented by the {@code OutputStream} handed
 * to {@code fetch}.
 */
public interface RestartableOutput {
  /** Drops everything written so far: the next byte written is the first again. */
  void restart() throws IOException;
}
