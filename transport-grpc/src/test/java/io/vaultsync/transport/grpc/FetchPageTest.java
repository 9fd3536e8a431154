package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchPageRequest;
import io.vaultsync.transport.grpc.v1.FetchPageResponse;
import io.vaultsync.transport.grpc.v1.FetchPart;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FetchPage: FetchMany's parts in bounded pages that resume where the last one stopped. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetchPageTest extends UnaryCallsFixture {
  static final long SEED = 15;

  /** Items the backend began, and delta bytes it wrote, over every fetchMany. */
  final AtomicInteger begun = new AtomicInteger();

  final AtomicLong written = new AtomicLong();

  @Override
  VaultTransport backend() {
    return hooked(
        store,
        (method, args) -> {
          if (method.equals("fetchMany")) {
            store.fetchMany(
                (String) args[0], castItems(args[1]), counting((FetchReceiver) args[2]));
            return null;
          }
          return Hook.PASS;
        });
  }

  @SuppressWarnings("unchecked")
  static List<FetchItem> castItems(Object o) {
    return (List<FetchItem>) o;
  }

  FetchReceiver counting(FetchReceiver r) {
    return new FetchReceiver() {
      @Override
      public OutputStream begin(int index) throws IOException {
        begun.incrementAndGet();
        OutputStream out = r.begin(index);
        return new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            // as a streaming backend does: 16 KiB at a time
            for (int i = 0; i < len; i += 16 << 10) {
              int n = Math.min(16 << 10, len - i);
              out.write(b, off + i, n);
              written.addAndGet(n);
            }
          }
        };
      }

      @Override
      public void end(int index) throws IOException {
        r.end(index);
      }

      @Override
      public void notFound(int index, String message) throws IOException {
        r.notFound(index, message);
      }
    };
  }

  static FetchManyItem item(ContentHash target, ContentHash base) {
    var b = FetchManyItem.newBuilder().setTarget(ToProto.hash(target));
    if (base != null) {
      b.setBase(ToProto.hash(base));
    }
    return b.build();
  }

  static FetchPageRequest request(List<FetchManyItem> items, int maxBytes) {
    return FetchPageRequest.newBuilder()
        .setVault(VAULT)
        .addAllItems(items)
        .setMaxBytes(maxBytes)
        .build();
  }

  /** Five items: large, small, missing, an edit against a base, empty. */
  List<FetchManyItem> items() throws IOException {
    RemoteEntry big = put("big.bin", TestDeltas.random(SEED, 300_000));
    RemoteEntry small = put("small.md", "small note".getBytes());
    byte[] v1 = TestDeltas.random(SEED + 1, 150_000);
    RemoteEntry first = put("edited.bin", v1);
    byte[] v2 = v1.clone();
    v2[70_000] ^= 1;
    RemoteEntry second = put("edited.bin", first.hash(), v2);
    RemoteEntry empty = put("empty.md", new byte[0]);
    ContentHash missing = ContentHash.digestOf("never stored".getBytes());
    return List.of(
        item(big.hash(), null),
        item(small.hash(), null),
        item(missing, null),
        item(second.hash(), first.hash()),
        item(empty.hash(), null));
  }

  @Test
  void pagesOfTinyMaxBytesJoinToExactlyTheFetchManyBytes() throws Exception {
    List<FetchManyItem> items = items();
    RecordingFetchReceiver expected = new RecordingFetchReceiver();
    List<FetchItem> wanted = new ArrayList<>();
    for (var i : items) {
      wanted.add(
          new FetchItem(
              FromProto.hash("t", i.getTarget()), FromProto.optionalHash("b", i.getBase())));
    }
    store.fetchMany(VAULT, wanted, expected);

    Map<Integer, ByteArrayOutputStream> got = new TreeMap<>();
    Map<Integer, String> notFound = new TreeMap<>();
    List<Integer> ended = new ArrayList<>();
    FetchPageRequest next = request(items, FetchPages.MIN_BYTES);
    int pages = 0;
    while (true) {
      FetchPageResponse page = stub.fetchPage(next);
      pages++;
      assertThat(page.getSerializedSize()).isLessThanOrEqualTo(FetchPages.MIN_BYTES);
      for (FetchPart p : page.getPartsList()) {
        if (!p.getNotFound().isEmpty()) {
          notFound.put(p.getIndex(), p.getNotFound());
          continue;
        }
        got.computeIfAbsent(p.getIndex(), k -> new ByteArrayOutputStream())
            .write(p.getData().toByteArray());
        if (p.getEnd()) {
          ended.add(p.getIndex());
        }
      }
      if (page.getDone()) {
        break;
      }
      next =
          next.toBuilder()
              .setStartIndex(page.getNextIndex())
              .setStartOffset(page.getNextOffset())
              .build();
    }

    assertThat(pages).isGreaterThanOrEqualTo(10); // ~300 KB of deltas, 32 KiB of data a page
    assertThat(ended).containsExactly(0, 1, 3, 4);
    assertThat(notFound).containsOnlyKeys(2);
    assertThat(notFound.get(2)).isEqualTo(expected.notFound.get(2));
    for (int i : expected.deltas.keySet()) {
      assertThat(got.get(i).toByteArray()).as("item %d", i).isEqualTo(expected.deltas.get(i));
    }
  }

  @Test
  void aFullPageStopsTheBackendBeforeTheNextItems() throws Exception {
    List<FetchManyItem> items = items();
    begun.set(0);
    written.set(0);

    FetchPageResponse page = stub.fetchPage(request(items, FetchPages.MIN_BYTES));

    assertThat(page.getDone()).isFalse();
    assertThat(page.getNextIndex()).isZero();
    assertThat(page.getNextOffset()).isEqualTo(FetchPages.MIN_BYTES - FetchPages.RESERVE);
    assertThat(begun.get()).isEqualTo(1); // the 300 KB item filled it; no other item began
    assertThat(written.get()).isLessThanOrEqualTo(FetchPages.MIN_BYTES); // stopped, not drained
  }

  @Test
  void aPageStartingInsideAnItemSkipsTheBytesEarlierPagesCarried() throws Exception {
    List<FetchManyItem> items = items();
    FetchPageResponse first = stub.fetchPage(request(items, FetchPages.MIN_BYTES));
    FetchPageResponse second =
        stub.fetchPage(
            request(items, FetchPages.MIN_BYTES).toBuilder()
                .setStartIndex(first.getNextIndex())
                .setStartOffset(first.getNextOffset())
                .build());

    RecordingFetchReceiver whole = new RecordingFetchReceiver();
    store.fetchMany(
        VAULT, List.of(new FetchItem(FromProto.hash("t", items.get(0).getTarget()), null)), whole);
    byte[] delta = whole.deltas.get(0);
    int at = (int) first.getNextOffset();
    assertThat(second.getParts(0).getIndex()).isZero();
    assertThat(second.getParts(0).getData().toByteArray())
        .isEqualTo(
            java.util.Arrays.copyOfRange(delta, at, at + second.getParts(0).getData().size()));
  }

  /** Checks that {@code request} is refused as INVALID_ARGUMENT saying {@code text}. */
  void refusedSaying(FetchPageRequest request, String text) {
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.fetchPage(request))).contains(text);
  }

  @Test
  void refusesOutOfBoundsValuesNamingThem() throws Exception {
    List<FetchManyItem> items = items();
    FetchPageRequest good = request(items, FetchPages.MIN_BYTES);
    List<FetchManyItem> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(items.get(1));
    }
    FetchManyItem shortHash =
        FetchManyItem.newBuilder().setTarget(ByteString.copyFromUtf8("short")).build();

    refusedSaying(request(List.of(), FetchPages.MIN_BYTES), "0 files");
    refusedSaying(request(tooMany, FetchPages.MIN_BYTES), "1001 files");
    refusedSaying(request(items, FetchPages.MIN_BYTES - 1), "max_bytes 65535");
    refusedSaying(request(items, (8 << 20) + 1), "max_bytes 8388609");
    refusedSaying(good.toBuilder().setStartIndex(5).build(), "start_index 5");
    refusedSaying(good.toBuilder().setStartOffset(-1).build(), "start_offset -1");
    refusedSaying(
        good.toBuilder().setStartIndex(1).setStartOffset(1_000_000).build(),
        "start_offset 1000000 is past the end of item 1");
    refusedSaying(request(List.of(shortHash), FetchPages.MIN_BYTES), "fetch target");
  }
}
