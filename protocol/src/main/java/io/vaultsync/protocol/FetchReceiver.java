package io.vaultsync.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Takes the deltas of a {@link VaultTransport#fetchMany batched fetch}, one file after the other,
 * in the order the files were asked for. For each item exactly one of two things happens: {@link
 * #begin} (once, unless {@link #abandon} took it back), its delta bytes written to the stream it
 * returned, then {@link #end}; or {@link #notFound} (the remote stores no such target or base). An
 * exception thrown here ends the call and is thrown by {@code fetchMany}. A transport that retries
 * a cut call may, for the item that was cut, call {@link #abandon} and then {@link #begin} again;
 * never for an item already ended.
 */
public interface FetchReceiver {
  /** Item {@code index} starts; its delta goes to the returned stream (which is not closed). */
  OutputStream begin(int index) throws IOException;

  /** Item {@code index}'s delta is complete. */
  void end(int index) throws IOException;

  /** The remote has no content for item {@code index}; {@code message} says which hash. */
  void notFound(int index, String message) throws IOException;

  /**
   * Item {@code index} was {@link #begin begun} but its delta was cut off (the connection was lost
   * mid-item): the receiver drops what it was given for it. Returns true if it did, so the
   * transport may ask for the item again and call {@link #begin} a second time for it; false (the
   * default) if it cannot, and the call fails. Items already {@link #end ended} are kept either
   * way.
   */
  default boolean abandon(int index) throws IOException {
    return false;
  }

  /**
   * A stream that calls {@link #begin} on the first byte, so an implementation that fails with
   * {@link NotFoundException} before writing anything can report {@link #notFound} instead.
   */
  final class Lazy extends OutputStream {
    private final FetchReceiver receiver;
    private final int index;
    private OutputStream out;

    public Lazy(FetchReceiver receiver, int index) {
      this.receiver = receiver;
      this.index = index;
    }

    /** Whether {@link #begin} was called. */
    public boolean begun() {
      return out != null;
    }

    /** The receiver's stream for this item, calling {@link #begin} the first time. */
    public OutputStream stream() throws IOException {
      if (out == null) {
        out = receiver.begin(index);
      }
      return out;
    }

    @Override
    public void write(int b) throws IOException {
      stream().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      stream().write(b, off, len);
    }
  }
}
