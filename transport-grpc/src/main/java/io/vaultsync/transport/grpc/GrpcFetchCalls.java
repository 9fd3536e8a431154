package io.vaultsync.transport.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.RestartableOutput;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.DataChunk;
import io.vaultsync.transport.grpc.v1.FetchManyChunk;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchManyRequest;
import io.vaultsync.transport.grpc.v1.FetchPart;
import io.vaultsync.transport.grpc.v1.FetchRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The downloads of the sync role over gRPC: {@code Fetch} (one version) and {@code FetchMany} (a
 * batch, framed and checked here), with their retries: a fetch from the start while nothing was
 * written (or into a {@link RestartableOutput}), a batch from the first item not finished. {@link
 * GrpcSyncCalls} adds the rest of the sync role.
 */
class GrpcFetchCalls {
  /** Fetches a batch one item at a time (for a server older than FetchMany). */
  @FunctionalInterface
  interface OneByOne {
    void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver) throws IOException;
  }

  final GrpcCalls calls;
  private final OneByOne oneByOne;

  GrpcFetchCalls(GrpcCalls calls, OneByOne oneByOne) {
    this.calls = calls;
    this.oneByOne = Objects.requireNonNull(oneByOne, "oneByOne");
  }

  /** See {@link GrpcVaultTransport#fetch}. */
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    Objects.requireNonNull(target, "target");
    FetchRequest request =
        FetchRequest.newBuilder()
            .setVault(vault)
            .setTarget(ToProto.hash(target))
            .setBase(ToProto.hash(base))
            .build();
    String what = "downloading version " + target.hex().substring(0, 12);
    boolean[] written = new boolean[1];
    CallRetrier.Attempts attempts = calls.retrier.begin();
    while (true) {
      long start = System.nanoTime();
      try {
        calls.streaming(
            what,
            vault,
            (stub, stall) -> {
              stall.waiting();
              Iterator<DataChunk> chunks = stub.fetch(request);
              while (GrpcCalls.hasNext(chunks, stall)) {
                DataChunk chunk = chunks.next();
                checkChunk("a fetch chunk", chunk.getData().size());
                written[0] |= !chunk.getData().isEmpty();
                chunk.getData().writeTo(deltaOut);
              }
              return null;
            });
        return;
      } catch (IOException e) {
        if (written[0] && !(deltaOut instanceof RestartableOutput)) {
          throw e; // what was written cannot be taken back
        }
        attempts.failed(e, start);
        if (written[0]) {
          ((RestartableOutput) deltaOut).restart();
          written[0] = false;
        }
      }
    }
  }

  /** See {@link GrpcVaultTransport#fetchMany}. */
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    VaultTransport.checkFetchItems(items.size());
    CallRetrier.Attempts attempts = calls.retrier.begin();
    Progress progress = new Progress();
    while (true) {
      long start = System.nanoTime();
      int before = progress.next;
      try {
        fetchManyFrom(vault, items, receiver, progress);
        return;
      } catch (IOException e) {
        if (!CallRetrier.retryable(e)) {
          throw e;
        }
        if (progress.next > before) {
          attempts.progressed();
        }
        if (progress.begun && !receiver.abandon(progress.next)) {
          throw e;
        }
        progress.begun = false;
        attempts.failed(e, start);
      }
    }
  }

  /** How far a batched fetch got: the first item not finished, and whether it was begun. */
  private static final class Progress {
    int next;
    boolean begun;
  }

  /** A data chunk or part larger than the protocol allows fails the call. */
  private static void checkChunk(String what, int size) throws IOException {
    if (size > Limits.CHUNK_BYTES) {
      throw GrpcCalls.malformed(what + " of " + size + " bytes; at most " + Limits.CHUNK_BYTES);
    }
  }

  /** One FetchMany call for the items from {@code progress.next} on. */
  private void fetchManyFrom(
      String vault, List<FetchItem> items, FetchReceiver receiver, Progress progress)
      throws IOException {
    int from = progress.next;
    FetchManyRequest.Builder request = FetchManyRequest.newBuilder().setVault(vault);
    for (FetchItem item : items.subList(from, items.size())) {
      request.addItems(
          FetchManyItem.newBuilder()
              .setTarget(ToProto.hash(item.target()))
              .setBase(ToProto.hash(item.base())));
    }
    int left = items.size() - from;
    String what = "downloading " + left + (left == 1 ? " file" : " files");
    boolean unimplemented =
        calls.streaming(
            what,
            vault,
            (stub, stall) -> {
              PartReader reader = new PartReader(items.size(), from, receiver, progress);
              boolean received = false;
              try {
                stall.waiting();
                Iterator<FetchManyChunk> messages = stub.fetchMany(request.build());
                while (GrpcCalls.hasNext(messages, stall)) {
                  received = true;
                  for (FetchPart part : messages.next().getPartsList()) {
                    reader.read(part);
                  }
                }
              } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED && !received) {
                  return true;
                }
                throw e;
              }
              if (progress.next != items.size()) {
                throw GrpcCalls.malformed(
                    "a batched fetch ended after "
                        + progress.next
                        + " of "
                        + items.size()
                        + " items");
              }
              return false;
            });
    if (unimplemented) {
      if (from > 0) {
        throw new IOException(
            "the server stopped serving batched fetches after item " + from + "; run again");
      }
      oneByOne.fetchMany(vault, items, receiver);
      progress.next = items.size();
    }
  }

  /**
   * Hands the parts of one FetchMany call to the receiver, checking the framing: items in order,
   * each begun once and ended once (or not found), parts of at most 1 MiB.
   */
  private static final class PartReader {
    private final int count;
    private final int from;
    private final FetchReceiver receiver;
    private final Progress progress;
    private OutputStream out;

    PartReader(int count, int from, FetchReceiver receiver, Progress progress) {
      this.count = count;
      this.from = from;
      this.receiver = receiver;
      this.progress = progress;
    }

    void read(FetchPart part) throws IOException {
      int next = progress.next;
      if (part.getIndex() != next - from || next >= count) {
        throw GrpcCalls.malformed(
            "a fetch part for item "
                + (part.getIndex() + from)
                + "; expected item "
                + next
                + " of "
                + count);
      }
      if (!part.getNotFound().isEmpty()) {
        if (out != null || !part.getData().isEmpty() || part.getEnd()) {
          throw GrpcCalls.malformed("item " + next + " both sent and not found");
        }
        receiver.notFound(next, part.getNotFound());
        progress.next++;
        return;
      }
      checkChunk("a fetch part", part.getData().size());
      if (out == null) {
        out = receiver.begin(next);
        progress.begun = true;
      }
      part.getData().writeTo(out);
      if (part.getEnd()) {
        receiver.end(next);
        progress.next++;
        progress.begun = false;
        out = null;
      }
    }
  }
}
