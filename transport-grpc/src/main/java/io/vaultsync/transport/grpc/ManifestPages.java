package io.vaultsync.transport.grpc;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.HistoryProtocol;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.transport.grpc.v1.GetManifestPageRequest;
import io.vaultsync.transport.grpc.v1.ManifestPage;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * The server side of GetManifestPage: one page of the manifest in path order after a path, read at
 * the head ({@code at_seq} 0) or at the seq a first page named ({@link
 * HistoryProtocol#manifestAt}), so that every page of one listing describes one state of the vault
 * while commits go on. A page holds at most {@code limit} entries and about {@link #PAGE_BYTES} of
 * them.
 */
final class ManifestPages {
  /** Most entries a client may ask for in one page. */
  static final int MAX_ENTRIES = 10_000;

  /** Serialized bytes of entries after which a page is cut (~7,000 short entries). */
  static final int PAGE_BYTES = 1 << 20;

  private ManifestPages() {}

  /** The page {@code request} asks for. */
  static ManifestPage page(
      SyncProtocol sync, HistoryProtocol history, GetManifestPageRequest request)
      throws IOException {
    String vault = FromProto.vault(request.getVault());
    long atSeq = request.getAtSeq();
    int limit = request.getLimit();
    if (atSeq < 0) {
      throw new IllegalArgumentException("manifest page at_seq " + atSeq + "; expected >= 0");
    }
    if (limit < 1 || limit > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "manifest page limit " + limit + "; expected 1 to " + MAX_ENTRIES);
    }
    NotePath after =
        request.getAfterPath().isEmpty()
            ? null
            : FromProto.path("manifest page after_path", request.getAfterPath());
    RemoteManifest manifest = read(sync, history, vault, atSeq);
    List<RemoteEntry> entries = manifest.entries();
    int from = after == null ? 0 : firstAfter(entries, after);
    ManifestPage.Builder b = ManifestPage.newBuilder().setHeadSeq(manifest.headSeq());
    int bytes = 0;
    int i = from;
    while (i < entries.size() && i - from < limit && bytes < PAGE_BYTES) {
      var e = ToProto.entry(entries.get(i));
      bytes += e.getSerializedSize() + 4;
      b.addEntries(e);
      i++;
    }
    return b.setDone(i == entries.size()).build();
  }

  /**
   * The manifest at the head, or at {@code atSeq}: the head's when it is still at that seq (no
   * history lookup), else the one history keeps.
   */
  private static RemoteManifest read(
      SyncProtocol sync, HistoryProtocol history, String vault, long atSeq) throws IOException {
    RemoteManifest head = sync.manifest(vault);
    if (atSeq == 0 || head.headSeq() == atSeq) {
      return head;
    }
    try {
      return history.manifestAt(vault, atSeq);
    } catch (NotFoundException e) {
      throw new NotFoundException(
          "the manifest of vault \""
              + vault
              + "\" at seq "
              + atSeq
              + " cannot be read any more ("
              + e.getMessage()
              + "): list it again from at_seq 0");
    } catch (UnsupportedOperationException e) {
      throw new NotFoundException(
          "the manifest of vault \""
              + vault
              + "\" at seq "
              + atSeq
              + " cannot be read (this server keeps no history; its head is at seq "
              + head.headSeq()
              + "): list it again from at_seq 0");
    }
  }

  /** The index of the first entry whose path sorts after {@code after}. */
  private static int firstAfter(List<RemoteEntry> entries, NotePath after) {
    int i =
        Collections.binarySearch(
            entries.stream().map(RemoteEntry::path).toList(), after, NotePath::compareTo);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
