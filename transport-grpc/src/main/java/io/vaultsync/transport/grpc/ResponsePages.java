package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.transport.grpc.v1.ChangesSinceRequest;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.ManifestChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the server cuts long answers into messages: changes in pages of ~{@link
 * WireLimits#CHANGES_PAGE_BYTES}, manifest entries in chunks of ~{@link
 * WireLimits#MANIFEST_CHUNK_BYTES}; a page always holds at least one element, however large.
 */
final class ResponsePages {
  private ResponsePages() {}

  /**
   * {@code changes} as protos, in pages of ~{@link WireLimits#CHANGES_PAGE_BYTES}; one empty page
   * for no changes.
   */
  static List<List<io.vaultsync.transport.grpc.v1.Change>> changes(List<Change> changes) {
    List<io.vaultsync.transport.grpc.v1.Change> protos = new ArrayList<>(changes.size());
    for (Change c : changes) {
      protos.add(ToProto.change(c));
    }
    return pages(protos, WireLimits.CHANGES_PAGE_BYTES);
  }

  /** {@code messages} in pages of about {@code maxBytes}; one empty page for none. */
  private static <M extends com.google.protobuf.MessageLite> List<List<M>> pages(
      List<M> messages, int maxBytes) {
    var pages = MessageBatcher.split(messages, maxBytes, Integer.MAX_VALUE);
    return pages.isEmpty() ? List.of(List.of()) : pages;
  }

  /**
   * The leading changes that fit one response (at least one), as protos: the client asks again from
   * the last seq for what did not fit.
   */
  static List<io.vaultsync.transport.grpc.v1.Change> firstPage(List<Change> changes) {
    return changes(changes).get(0);
  }

  /** Sends {@code m} in chunks; at least one, so an empty vault still says its seq. */
  static void sendManifest(FlowControlledSender<ManifestChunk> sender, RemoteManifest m)
      throws IOException {
    List<io.vaultsync.transport.grpc.v1.RemoteEntry> protos = new ArrayList<>(m.entries().size());
    for (RemoteEntry e : m.entries()) {
      protos.add(ToProto.entry(e));
    }
    for (var chunk : pages(protos, WireLimits.MANIFEST_CHUNK_BYTES)) {
      sender.send(ManifestChunk.newBuilder().setHeadSeq(m.headSeq()).addAllEntries(chunk).build());
    }
  }

  /**
   * The ChangesSince answer for {@code vault} after {@code afterSeq}: its bounds checked as
   * ChangesSince checks them, its changes cut to one message (the client asks again from the last
   * seq).
   */
  static ChangesSinceResponse changesAnswer(
      SyncProtocol backend, String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    checkChanges(afterSeq, limit);
    ChangePage page =
        backend.changesSince(
            vault, afterSeq, Math.min(limit, Limits.CHANGES_PER_PAGE), folderMoves);
    ChangesSinceResponse.Builder b =
        ChangesSinceResponse.newBuilder()
            .setHeadSeq(page.headSeq())
            .setHorizonSeq(page.horizonSeq())
            .setFolderMoves(folderMoves);
    for (var h : page.wanted()) {
      b.addWanted(ToProto.hash(h));
    }
    return b.addAllChanges(ResponsePages.firstPage(page.changes())).build();
  }

  /** ChangesSince's request as its answer. */
  static ChangesSinceResponse changesAnswer(SyncProtocol backend, ChangesSinceRequest request)
      throws IOException {
    return changesAnswer(
        backend,
        FromProto.vault(request.getVault()),
        request.getAfterSeq(),
        request.getLimit(),
        request.getFolderMoves());
  }

  private static void checkChanges(long afterSeq, int limit) {
    if (afterSeq < 0 || limit < 1) {
      throw new IllegalArgumentException(
          "changes after seq " + afterSeq + ", limit " + limit + "; expected >= 0 and >= 1");
    }
  }
}
