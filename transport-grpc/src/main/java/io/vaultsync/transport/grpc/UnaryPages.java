package io.vaultsync.transport.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchPageRequest;
import io.vaultsync.transport.grpc.v1.FetchPageResponse;
import io.vaultsync.transport.grpc.v1.FetchPart;
import io.vaultsync.transport.grpc.v1.GetManifestPageRequest;
import io.vaultsync.transport.grpc.v1.ManifestPage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The listings and downloads of a client that makes unary calls only ({@link
 * GrpcVaultTransport#unaryOver}): a manifest as {@code GetManifestPage} pages at one seq, a
 * download as {@code FetchPage} pages of at most {@link #PAGE_BYTES}. Each page is one call,
 * retried on its own (a page is read again from where the last one ended, so nothing a receiver
 * took is given twice).
 */
final class UnaryPages {
  /** Entries asked for per manifest page. */
  static final int MANIFEST_PAGE = 10_000;

  /** Bytes of delta asked for per download page. */
  static final int PAGE_BYTES = 4 << 20;

  /** How often a manifest is started again when its seq became unreadable between pages. */
  private static final int MANIFEST_RESTARTS = 3;

  private final GrpcCalls calls;

  UnaryPages(GrpcCalls calls) {
    this.calls = calls;
  }

  /**
   * The manifest at {@code atSeq} (0: the head), read page by page at the seq the first page names;
   * a head manifest whose seq became unreadable meanwhile is read again from the head.
   */
  RemoteManifest manifest(String vault, long atSeq, String what) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return manifestOnce(vault, atSeq, what);
      } catch (NotFoundException e) {
        if (atSeq != 0 || attempt + 1 >= MANIFEST_RESTARTS || !e.getMessage().contains("seq")) {
          throw e;
        }
      }
    }
  }

  private RemoteManifest manifestOnce(String vault, long atSeq, String what) throws IOException {
    List<RemoteEntry> entries = new ArrayList<>();
    long seq = atSeq;
    String after = "";
    while (true) {
      GetManifestPageRequest request =
          GetManifestPageRequest.newBuilder()
              .setVault(vault)
              .setAtSeq(seq)
              .setAfterPath(after)
              .setLimit(MANIFEST_PAGE)
              .build();
      ManifestPage page = calls.retried(what, vault, stub -> stub.getManifestPage(request));
      // The first page may name an earlier seq (the head, when asked beyond it); the next ones
      // must name the seq asked for.
      boolean first = after.isEmpty() && entries.isEmpty();
      if (seq != 0 && (first ? page.getHeadSeq() > seq : page.getHeadSeq() != seq)) {
        throw GrpcCalls.malformed("a manifest page at seq " + page.getHeadSeq() + " for " + seq);
      }
      if (page.getEntriesCount() > MANIFEST_PAGE) {
        throw GrpcCalls.malformed(
            page.getEntriesCount() + " entries for a page of " + MANIFEST_PAGE);
      }
      seq = page.getHeadSeq();
      for (var e : page.getEntriesList()) {
        RemoteEntry entry = GrpcCalls.decode(() -> FromProto.entry(e));
        if (!after.isEmpty() && entry.path().value().compareTo(after) <= 0) {
          throw GrpcCalls.malformed("manifest path " + entry.path().value() + " after " + after);
        }
        after = entry.path().value();
        entries.add(entry);
      }
      if (page.getDone()) {
        return new RemoteManifest(seq, entries);
      }
      if (page.getEntriesCount() == 0) {
        throw GrpcCalls.malformed("an empty manifest page that is not the last");
      }
    }
  }

  /** One version's delta into {@code deltaOut}; NOT_FOUND if the server stores no such version. */
  void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    java.util.Objects.requireNonNull(target, "target");
    fetchMany(
        vault,
        List.of(new FetchItem(target, base)),
        new FetchReceiver() {
          @Override
          public OutputStream begin(int index) {
            return deltaOut;
          }

          @Override
          public void end(int index) {}

          @Override
          public void notFound(int index, String message) throws IOException {
            throw new NotFoundException(message);
          }
        });
  }

  /**
   * The deltas of {@code items} into {@code receiver}, in pages; the framing is checked (items in
   * order, each begun once and ended once or not found, the next page where the last one ended).
   */
  void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver) throws IOException {
    VaultTransport.checkFetchItems(items.size());
    FetchPageRequest.Builder request = FetchPageRequest.newBuilder().setVault(vault);
    for (FetchItem item : items) {
      request.addItems(
          FetchManyItem.newBuilder()
              .setTarget(ToProto.hash(item.target()))
              .setBase(ToProto.hash(item.base())));
    }
    request.setMaxBytes(PAGE_BYTES);
    String what = "downloading " + items.size() + (items.size() == 1 ? " file" : " files");
    int index = 0;
    long offset = 0;
    OutputStream out = null;
    while (true) {
      FetchPageRequest page = request.setStartIndex(index).setStartOffset(offset).build();
      FetchPageResponse response = calls.retried(what, vault, stub -> stub.fetchPage(page));
      for (FetchPart part : response.getPartsList()) {
        if (index >= items.size() || part.getIndex() != index) {
          throw GrpcCalls.malformed(
              "a fetch part for item " + part.getIndex() + "; expected item " + index);
        }
        if (!part.getNotFound().isEmpty()) {
          if (out != null || !part.getData().isEmpty() || part.getEnd()) {
            throw GrpcCalls.malformed("item " + index + " both sent and not found");
          }
          receiver.notFound(index, part.getNotFound());
          index++;
          continue;
        }
        if (out == null) {
          out = receiver.begin(index);
        }
        part.getData().writeTo(out);
        offset += part.getData().size();
        if (part.getEnd()) {
          receiver.end(index);
          index++;
          offset = 0;
          out = null;
        }
      }
      if (response.getDone()) {
        if (index != items.size()) {
          throw GrpcCalls.malformed(
              "a batched fetch ended after " + index + " of " + items.size() + " items");
        }
        return;
      }
      if (response.getNextIndex() != index || response.getNextOffset() != offset) {
        throw GrpcCalls.malformed(
            "the next page at item "
                + response.getNextIndex()
                + " byte "
                + response.getNextOffset()
                + "; this client is at item "
                + index
                + " byte "
                + offset);
      }
      if (response.getPartsCount() == 0) {
        throw GrpcCalls.malformed("an empty download page that is not the last");
      }
    }
  }

  /** Whether {@code e} is the server's UNIMPLEMENTED (a server older than the call). */
  static boolean unimplemented(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
  }
}
