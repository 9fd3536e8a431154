package io.vaultsync.server.vault;

import static io.vaultsync.server.TestDeltas.delta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.server.limits.SqlQuotaStore;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.limits.VaultQuotas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 9: the largest file and the vault quota. A tiny delta that declares a huge target
 * (whole-basis copies repeated) is refused before the store or the master folder grows, naming the
 * file and the limit; a commit that would take a vault over its quota is refused naming the vault,
 * its usage and its quota, and nothing of it is stored.
 */
class UploadLimitsTest extends NotesVaultTest {
  private static final long MIB = 1L << 20;
  private SqlQuotaStore quotaStore;

  @BeforeEach
  void limitUploads() throws IOException {
    quotaStore = new SqlQuotaStore(f.db);
    f.vaults.limitUploads(
        new VaultQuotas(quotaStore, new StorageLimits(2 * MIB, OptionalLong.empty())));
  }

  /** A delta of {@code copies} copies of the whole {@code basis}: a few dozen bytes. */
  private static byte[] repeatedCopies(byte[] basis, int copies) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaWriter w = new DeltaWriter(out);
    MessageDigest md = ContentHash.newDigest();
    for (int i = 0; i < copies; i++) {
      w.copy(0, basis.length);
      md.update(basis);
    }
    w.end((long) copies * basis.length, ContentHash.finish(md));
    return out.toByteArray();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Every file under the store, with its size: what "the store grew" would change. */
  private List<String> storeFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("store"))) {
      return s.filter(Files::isRegularFile)
          .map(
              p -> {
                try {
                  return dir.relativize(p) + " " + Files.size(p);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sorted()
          .toList();
    }
  }

  /**
   * Pins issue 12 item 9 (the 74-byte push of 4 x COPY(0, 500 MB) that grew the store by 2 GB),
   * scaled down: a 1 MiB base, a delta of four whole-base copies (4 MiB declared), a 2 MiB limit.
   */
  @Test
  void aTinyDeltaOfRepeatedWholeBaseCopiesIsRefusedBeforeTheStoreOrMasterFolderGrows()
      throws IOException {
    byte[] base = random((int) MIB, 9);
    NotePath big = NotePath.of("attachments/big.bin");
    f.vaults.push("notes", big, null, new ByteArrayInputStream(delta(new byte[0], base)), "pc");
    Path master = f.file("notes", big.value());
    List<String> before = storeFiles();
    long seq = f.vaults.changesSince("notes", 0, 10).headSeq();
    byte[] hostile = repeatedCopies(base, 4);
    assertThat(hostile.length).isLessThan(100);

    assertThatThrownBy(
            () ->
                f.vaults.push(
                    "notes",
                    big,
                    ContentHash.digestOf(base),
                    new ByteArrayInputStream(hostile),
                    "mallory"))
        .isInstanceOfSatisfying(
            FileTooLargeException.class,
            e -> {
              assertThat(e.path()).isEqualTo(big.value());
              assertThat(e.limit()).isEqualTo(2 * MIB);
              assertThat(e.reached()).isEqualTo(3 * MIB);
              assertThat(e.getMessage())
                  .contains("attachments/big.bin", "vault notes", "2.0 MiB", "--max-file-size");
            });
    assertThatThrownBy(
            () ->
                f.vaults.commit(
                    "notes",
                    List.of(
                        new Mutation.Put(NotePath.of("small.md"), null, delta(new byte[0], base)),
                        new Mutation.Put(big, ContentHash.digestOf(base), hostile)),
                    "mallory",
                    CommitOptions.DEFAULTS))
        .isInstanceOf(FileTooLargeException.class)
        .hasMessageContaining("attachments/big.bin");

    f.vaults.awaitMirrored("notes");
    assertThat(storeFiles()).isEqualTo(before);
    assertThat(f.vaults.changesSince("notes", 0, 10).headSeq()).isEqualTo(seq);
    assertThat(Files.size(master)).isEqualTo(MIB);
    assertThat(dir.resolve("vaults/notes/small.md")).doesNotExist();
  }

  @Test
  void aFileExactlyAtTheLimitIsStored() throws IOException {
    byte[] base = random((int) MIB, 5);
    NotePath p = NotePath.of("two.bin");
    f.vaults.push("notes", p, null, new ByteArrayInputStream(delta(new byte[0], base)), "pc");
    f.vaults.push(
        "notes",
        p,
        ContentHash.digestOf(base),
        new ByteArrayInputStream(repeatedCopies(base, 2)),
        "pc");
    assertThat(f.vaults.manifest("notes").entries().get(0).size()).isEqualTo(2 * MIB);
  }

  private List<Outcome> put(String path, byte[] content) throws IOException {
    return f.vaults.commit("notes", List.of(putNew(path, content)), "pc", CommitOptions.DEFAULTS);
  }

  /**
   * A commit that would take the vault past its quota is refused as a whole with the vault, its
   * usage, what the commit adds and the quota; content the vault already keeps adds nothing, so a
   * second copy of a kept file still fits; clearing the quota lets the refused commit through.
   */
  @Test
  void aCommitOverTheVaultQuotaIsRefusedWithItsUsageAndQuotaAndStoresNothing() throws IOException {
    quotaStore.setQuota(NOTES, OptionalLong.of(100_000));
    byte[] a = random(60_000, 1);
    put("a.bin", a);
    assertThat(quotaStore.usage(NOTES)).isEqualTo(60_000);
    List<String> before = storeFiles();

    assertThatThrownBy(() -> put("b.bin", random(50_000, 2)))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.vault()).isEqualTo("notes");
              assertThat(e.usage()).isEqualTo(60_000);
              assertThat(e.adding()).isEqualTo(50_000);
              assertThat(e.quota()).isEqualTo(100_000);
              assertThat(e.getMessage())
                  .contains("vault notes", "quota", "vaultsync server quota --vault notes");
            });
    assertThat(storeFiles()).isEqualTo(before);
    assertThat(f.vaults.manifest("notes").entries()).hasSize(1);

    put("b.bin", random(30_000, 3));
    put("copy-of-a.bin", a); // already kept: adds nothing
    assertThat(quotaStore.usage(NOTES)).isEqualTo(90_000);
    assertThatThrownBy(() -> put("c.bin", random(20_000, 4)))
        .isInstanceOf(QuotaExceededException.class);

    quotaStore.setQuota(NOTES, OptionalLong.empty());
    put("c.bin", random(20_000, 4));
    assertThat(quotaStore.usage(NOTES)).isEqualTo(110_000);
  }
}
