package io.vaultsync.cluster;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.ContentDamage;
import io.vaultsync.protocol.testkit.VaultProtocolContract;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.postgres.PostgresFixture;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite against a server of two processes on PostgreSQL and S3-compatible storage
 * (s3proxy), as {@code vaultsync server --database ... --objects ...} runs each: the laptop talks
 * to one process and the phone to the other, so every promise the suite checks (ordering, stale
 * bases, the delete window, subscribe with no gap and no duplicate, history, share links) holds
 * across processes. Each test gets a fresh database and its own prefix in the bucket. Its hooks do
 * what a failed store or an operator would: lost content is a pack whose bytes of it were damaged
 * in the bucket (and in the processes' caches), compaction is the server's own.
 */
class ClusterProtocolContractTest extends VaultProtocolContract {
  private static S3ProxyProcess s3;

  @TempDir static Path s3Folder;
  @TempDir Path tmp;

  @BeforeAll
  static void startObjectStore() throws Exception {
    s3 = S3ProxyProcess.startWithBucket(s3Folder);
  }

  @AfterAll
  static void stopObjectStore() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected Backend start(Settings settings) throws IOException {
    String prefix = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    ClusterServers cluster =
        ClusterServers.start(
            tmp.resolve("servers"),
            2,
            PostgresFixture.newDatabase().describe(),
            URI.create("s3://" + S3ProxyProcess.BUCKET + "/" + prefix),
            URI.create("http://127.0.0.1:" + s3.port()),
            settings.clock(),
            settings.deleteLimits(),
            new StorageLimits(
                settings.sizes().maxFileBytes(),
                OptionalLong.of(settings.sizes().vaultQuotaBytes())));
    return new Backend() {
      private int next;

      @Override
      public VaultTransport connect(String device) throws IOException {
        return cluster.connect(next++ % cluster.size(), device);
      }

      @Override
      public void loseContent(String vault, ContentHash hash) throws IOException {
        byte[] content;
        try (InputStream in = cluster.server(0).data().content().open(hash).stream()) {
          content = in.readAllBytes();
        }
        int damaged =
            ContentDamage.flipCopies(
                s3.bucketFolder(S3ProxyProcess.BUCKET).resolve(prefix), content, f -> true);
        if (damaged == 0) {
          throw new AssertionError("no copy of " + hash.hex() + " in the bucket");
        }
        ContentDamage.flipCopies(tmp.resolve("servers"), content, f -> true); // their caches
        for (int i = 0; i < cluster.size(); i++) {
          StoredObject still;
          try {
            still = cluster.server(i).data().content().open(hash);
          } catch (IOException expected) {
            continue; // found damaged: no longer served, wanted back
          }
          throw new AssertionError(
              "content " + hash.hex() + " is still served by process " + i + ": " + still);
        }
      }

      @Override
      public long compact(String vault) throws IOException {
        return cluster.server(0).data().vaults().compact(VaultName.of(vault), null).horizonAfter();
      }

      @Override
      public void close() throws IOException {
        cluster.close();
      }
    };
  }
}
