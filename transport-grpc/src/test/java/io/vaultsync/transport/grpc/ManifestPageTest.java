package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.GetManifestPageRequest;
import io.vaultsync.transport.grpc.v1.ManifestPage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GetManifestPage: pages in path order at one seq, bounded by count and size. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManifestPageTest extends UnaryCallsFixture {
  /** When set, the backend's history has been thinned: manifestAt fails as a server's does. */
  final AtomicBoolean thinned = new AtomicBoolean();

  @Override
  VaultTransport backend() {
    return hooked(
        store,
        (method, args) -> {
          if (method.equals("manifestAt") && thinned.get()) {
            throw new NotFoundException(
                "the history of vault notes before seq " + args[1] + " was thinned");
          }
          return Hook.PASS;
        });
  }

  static GetManifestPageRequest request(long atSeq, String afterPath, int limit) {
    return GetManifestPageRequest.newBuilder()
        .setVault(VAULT)
        .setAtSeq(atSeq)
        .setAfterPath(afterPath)
        .setLimit(limit)
        .build();
  }

  static List<RemoteEntry> entries(ManifestPage page) {
    List<RemoteEntry> out = new ArrayList<>();
    for (var e : page.getEntriesList()) {
      out.add(FromProto.entry(e));
    }
    return out;
  }

  @Test
  void pagesJoinToExactlyTheManifestWhileCommitsHappenBetweenThem() throws Exception {
    for (int i = 0; i < 50; i++) {
      put(String.format("n/%02d.md", i), ("note " + i).getBytes());
    }
    RemoteManifest before = store.manifest(VAULT);

    List<RemoteEntry> joined = new ArrayList<>();
    ManifestPage page = stub.getManifestPage(request(0, "", 7));
    long seq = page.getHeadSeq();
    int pages = 1;
    joined.addAll(entries(page));
    int round = 0;
    while (!page.getDone()) {
      // another device writes between the pages: a new file, an edit, a delete, a move
      RemoteEntry added = put("n/" + round + "-new.md", "new".getBytes());
      store.commit(
          VAULT,
          List.of(
              new Mutation.Delete(
                  NotePath.of(String.format("n/%02d.md", 49 - round)),
                  before.entries().get(49 - round).hash()),
              new Mutation.Move(
                  NotePath.of(String.format("n/%02d.md", round)),
                  NotePath.of("moved/" + round + ".md"),
                  before.entries().get(round).hash())),
          "laptop");
      assertThat(added.seq()).isGreaterThan(seq);
      round++;
      page = stub.getManifestPage(request(seq, joined.get(joined.size() - 1).path().value(), 7));
      assertThat(page.getHeadSeq()).isEqualTo(seq);
      joined.addAll(entries(page));
      pages++;
    }

    assertThat(pages).isEqualTo(8); // 50 entries, 7 a page
    assertThat(joined).isEqualTo(before.entries());
    assertThat(store.manifest(VAULT).entries()).isNotEqualTo(before.entries());
  }

  @Test
  void anEmptyVaultIsOneDonePage() {
    ManifestPage page = stub.getManifestPage(request(0, "", 10));

    assertThat(page.getEntriesList()).isEmpty();
    assertThat(page.getDone()).isTrue();
    assertThat(page.getHeadSeq()).isZero();
  }

  @Test
  void aPageIsCutNearOneMebibyteWhateverTheLimit() throws Exception {
    String dir = "d".repeat(200) + "/";
    for (int i = 0; i < 4000; i++) {
      put(dir + String.format("%04d-", i) + "x".repeat(100) + ".md", new byte[] {(byte) i});
    }

    ManifestPage first = stub.getManifestPage(request(0, "", 10_000));

    assertThat(first.getDone()).isFalse();
    assertThat(first.getEntriesCount()).isBetween(1000, 3999);
    assertThat(first.getSerializedSize()).isLessThan((1 << 20) + 1024);
    ManifestPage rest =
        stub.getManifestPage(
            request(
                first.getHeadSeq(),
                first.getEntries(first.getEntriesCount() - 1).getPath(),
                10_000));
    assertThat(first.getEntriesCount() + rest.getEntriesCount()).isEqualTo(4000);
    assertThat(rest.getDone()).isTrue();
  }

  @Test
  void aSeqThatCannotBeReadAnyMoreIsNotFoundSayingToStartAgain() throws Exception {
    put("a.md", "a".getBytes());
    put("b.md", "b".getBytes());
    ManifestPage first = stub.getManifestPage(request(0, "", 1));
    put("c.md", "c".getBytes());
    thinned.set(true);

    var e =
        refused(
            Status.Code.NOT_FOUND,
            () -> stub.getManifestPage(request(first.getHeadSeq(), "a.md", 1)));

    assertThat(e.getStatus().getDescription())
        .contains("at seq 2")
        .contains("cannot be read any more")
        .contains("from at_seq 0");
  }

  @Test
  void refusesOutOfBoundsValuesNamingThem() {
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.getManifestPage(request(0, "", 0))))
        .contains("limit 0")
        .contains("1 to 10000");
    assertThat(
            why(Status.Code.INVALID_ARGUMENT, () -> stub.getManifestPage(request(0, "", 10_001))))
        .contains("limit 10001");
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.getManifestPage(request(-1, "", 5))))
        .contains("at_seq -1");
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.getManifestPage(request(0, "a//b", 5))))
        .contains("a//b");
    assertThat(
            why(
                Status.Code.NOT_FOUND,
                () ->
                    stub.getManifestPage(request(0, "", 5).toBuilder().setVault("other").build())))
        .contains("other");
  }
}
