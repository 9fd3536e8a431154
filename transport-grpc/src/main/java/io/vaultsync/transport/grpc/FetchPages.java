package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.FetchManyChunk;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchPageRequest;
import io.vaultsync.transport.grpc.v1.FetchPageResponse;
import io.vaultsync.transport.grpc.v1.FetchPart;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of FetchPage: FetchMany's parts (framed by {@link FetchManyFramer}) from item
 * {@code start_index} at byte {@code start_offset} of its delta, until about {@code max_bytes}.
 * When the page is full the backend's {@link SyncProtocol#fetchMany} is stopped (the receiver
 * throws), so no item is generated past the page. An item the page starts inside is generated again
 * from the first byte of its delta and its first {@code start_offset} bytes are dropped: a page of
 * a large file costs the delta up to its end, not just its own bytes.
 */
final class FetchPages {
  /** The smallest {@code max_bytes} a client may ask for. */
  static final int MIN_BYTES = 64 << 10;

  /** The largest {@code max_bytes} a client may ask for. */
  static final int MAX_BYTES = 8 << 20;

  /**
   * What a page keeps of {@code max_bytes} for what is not delta data (part framing: ~12 bytes per
   * item; not-found messages: at most {@link #NOT_FOUND_BYTES}), so that a whole answer stays near
   * {@code max_bytes} and under {@link io.vaultsync.protocol.Limits#MESSAGE_BYTES}.
   */
  static final int RESERVE = 32 << 10;

  /** Bytes of not-found messages after which a page is cut. */
  static final int NOT_FOUND_BYTES = 16 << 10;

  private FetchPages() {}

  /** The page {@code request} asks for. */
  static FetchPageResponse page(SyncProtocol backend, FetchPageRequest request) throws IOException {
    String vault = FromProto.vault(request.getVault());
    int count = request.getItemsCount();
    VaultTransport.checkFetchItems(count);
    int maxBytes = request.getMaxBytes();
    if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "fetch page max_bytes " + maxBytes + "; expected " + MIN_BYTES + " to " + MAX_BYTES);
    }
    long startIndex = Integer.toUnsignedLong(request.getStartIndex());
    long startOffset = request.getStartOffset();
    if (startIndex >= count || startOffset < 0) {
      throw new IllegalArgumentException(
          "fetch page start_index "
              + startIndex
              + ", start_offset "
              + startOffset
              + "; expected an index below "
              + count
              + " (the items asked for) and an offset >= 0");
    }
    List<FetchItem> items = new ArrayList<>(count - (int) startIndex);
    for (FetchManyItem item : request.getItemsList().subList((int) startIndex, count)) {
      items.add(
          new FetchItem(
              FromProto.hash("fetch target", item.getTarget()),
              FromProto.optionalHash("fetch base", item.getBase())));
    }
    Page page = new Page((int) startIndex, startOffset, maxBytes - RESERVE);
    try {
      backend.fetchMany(vault, items, page);
      page.finish();
    } catch (IOException | RuntimeException e) {
      if (!page.full) {
        page.checkOffsetReached(); // the clear message, whatever the backend wrapped it in
        throw e;
      }
    }
    return page.response(count);
  }

  /** Thrown by the page's sink to stop the backend once the page is full. */
  private static final class PageFull extends IOException {
    PageFull() {
      super("fetch page full");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not a failure
    }
  }

  /** The parts of one page; stops the backend when full. Not thread-safe. */
  private static final class Page implements FetchReceiver {
    private final int startIndex;
    private final long startOffset;
    private final FetchManyFramer framer;
    private final List<FetchPart> parts = new ArrayList<>();
    private boolean finishing;
    private boolean full;
    private long skipped;
    private boolean firstEnded;
    private int notFoundBytes;

    Page(int startIndex, long startOffset, int dataBytes) {
      this.startIndex = startIndex;
      this.startOffset = startOffset;
      this.framer = new FetchManyFramer(dataBytes, this::take);
    }

    private void take(FetchManyChunk message) throws IOException {
      parts.addAll(message.getPartsList());
      if (!finishing) {
        full = true;
        throw new PageFull();
      }
    }

    @Override
    public OutputStream begin(int index) throws IOException {
      OutputStream out = framer.begin(index + startIndex);
      if (index != 0 || startOffset == 0) {
        return out;
      }
      return new OutputStream() { // drops the bytes an earlier page carried
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          int skip = (int) Math.min(len, startOffset - skipped);
          skipped += skip;
          if (len > skip) {
            out.write(b, off + skip, len - skip);
          }
        }
      };
    }

    @Override
    public void end(int index) throws IOException {
      if (index == 0) {
        firstEnded = true;
        checkOffsetReached();
      }
      framer.end(index + startIndex);
    }

    @Override
    public void notFound(int index, String message) throws IOException {
      if (index == 0) {
        skipped = startOffset; // nothing to skip: the item has no delta
      }
      framer.notFound(index + startIndex, message);
      notFoundBytes += message == null ? 0 : message.length();
      if (notFoundBytes > NOT_FOUND_BYTES) {
        framer.finish(); // the sink marks the page full and stops the backend
      }
    }

    void finish() throws IOException {
      finishing = true;
      framer.finish();
    }

    /** A first item that ended before {@code start_offset} is the client's mistake. */
    void checkOffsetReached() {
      if (firstEnded && skipped < startOffset) {
        throw new IllegalArgumentException(
            "fetch page start_offset "
                + startOffset
                + " is past the end of item "
                + startIndex
                + "'s delta ("
                + skipped
                + " bytes); expected an offset the previous page named");
      }
    }

    FetchPageResponse response(int count) {
      FetchPageResponse.Builder b = FetchPageResponse.newBuilder().addAllParts(parts);
      if (!full) {
        return b.setNextIndex(count).setDone(true).build();
      }
      FetchPart last = parts.get(parts.size() - 1);
      if (last.getEnd() || !last.getNotFound().isEmpty()) {
        int next = last.getIndex() + 1;
        return b.setNextIndex(next).setDone(next == count).build();
      }
      long offset = last.getIndex() == startIndex ? startOffset : 0;
      for (FetchPart p : parts) {
        if (p.getIndex() == last.getIndex()) {
          offset += p.getData().size();
        }
      }
      return b.setNextIndex(last.getIndex()).setNextOffset(offset).build();
    }
  }
}
