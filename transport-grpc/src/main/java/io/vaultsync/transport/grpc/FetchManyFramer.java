package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.transport.grpc.v1.FetchManyChunk;
import io.vaultsync.transport.grpc.v1.FetchPart;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The server side of {@code FetchMany}: a {@link FetchReceiver} that frames each item's delta as
 * {@link FetchPart}s and packs parts of consecutive items into {@link FetchManyChunk} messages of
 * at most {@link io.vaultsync.protocol.Limits#CHUNK_BYTES} data bytes, so thousands of 2 KB notes
 * travel in a few dozen messages. A message goes to the sink (which may block: flow control) when
 * it is full and at {@link #finish}. Not thread-safe.
 */
final class FetchManyFramer implements FetchReceiver {
  /** Receives each message; may block. */
  @FunctionalInterface
  interface MessageSink {
    void accept(FetchManyChunk message) throws IOException;
  }

  private final MessageSink sink;
  private final int messageBytes;
  private final byte[] buffer;
  private FetchManyChunk.Builder message = FetchManyChunk.newBuilder();
  private int messageData;
  private int current = -1;
  private int filled;

  FetchManyFramer(int messageBytes, MessageSink sink) {
    if (messageBytes < 1) {
      throw new IllegalArgumentException("message size " + messageBytes + "; expected >= 1");
    }
    this.messageBytes = messageBytes;
    this.buffer = new byte[messageBytes];
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public OutputStream begin(int index) {
    if (current != -1) {
      throw new IllegalStateException(
          "item " + index + " begins before item " + current + " ended");
    }
    current = index;
    filled = 0;
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (current != index) {
          throw new IllegalStateException("item " + index + " written after it ended");
        }
        while (len > 0) {
          int room = messageBytes - messageData - filled;
          if (room == 0) {
            cutPart(false);
            send();
            continue;
          }
          int n = Math.min(room, len);
          System.arraycopy(b, off, buffer, filled, n);
          filled += n;
          off += n;
          len -= n;
        }
      }
    };
  }

  @Override
  public void end(int index) throws IOException {
    if (current != index) {
      throw new IllegalStateException("item " + index + " ends but item " + current + " is open");
    }
    cutPart(true);
    current = -1;
    if (messageData >= messageBytes) {
      send();
    }
  }

  @Override
  public void notFound(int index, String message) {
    if (current != -1) {
      throw new IllegalStateException(
          "item " + index + " not found while item " + current + " is open");
    }
    this.message.addParts(
        FetchPart.newBuilder().setIndex(index).setNotFound(message == null ? "" : message));
  }

  /** Sends what is pending; call once after the last item. */
  void finish() throws IOException {
    if (current != -1) {
      throw new IllegalStateException("finished while item " + current + " is open");
    }
    if (message.getPartsCount() > 0) {
      send();
    }
  }

  private void cutPart(boolean end) {
    message.addParts(
        FetchPart.newBuilder()
            .setIndex(current)
            .setData(ByteString.copyFrom(buffer, 0, filled))
            .setEnd(end));
    messageData += filled;
    filled = 0;
  }

  private void send() throws IOException {
    FetchManyChunk m = message.build();
    message = FetchManyChunk.newBuilder();
    messageData = 0;
    sink.accept(m);
  }
}
