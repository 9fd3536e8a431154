package io.vaultsync.cluster;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.postgres.PostgresFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two server processes on a fresh PostgreSQL database and a fresh prefix of one s3proxy bucket, for
 * tests outside this package (the convergence property lives in client-app's package).
 */
public final class ClusterServersAccess {
  private static S3ProxyProcess s3;
  private static Path s3Folder;

  private ClusterServersAccess() {}

  /** Starts the object store for the calling test class. */
  public static void startObjectStore() throws Exception {
    s3Folder = Files.createTempDirectory("vaultsync-s3proxy");
    s3 = S3ProxyProcess.startWithBucket(s3Folder);
  }

  /** Stops it (its folder is the test's temporary folder). */
  public static void stopObjectStore() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }

  /** Two processes, with folders under {@code dir}. */
  public static Opened open(Path dir) throws IOException {
    String prefix = "c" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    return new Opened(
        ClusterServers.start(
            dir,
            2,
            PostgresFixture.newDatabase().describe(),
            URI.create("s3://" + S3ProxyProcess.BUCKET + "/" + prefix),
            URI.create("http://127.0.0.1:" + s3.port()),
            Clock.systemUTC(),
            DeleteLimits.DEFAULTS,
            StorageLimits.DEFAULTS));
  }

  /** The opened processes. */
  public static final class Opened implements AutoCloseable {
    private final ClusterServers servers;

    private Opened(ClusterServers servers) {
      this.servers = servers;
    }

    /** A client of process {@code i} as {@code device}. */
    public VaultTransport connect(int i, String device) throws IOException {
      return servers.connect(i, device);
    }

    /** Whether the shared store holds {@code hash}. */
    public boolean stores(ContentHash hash) {
      return servers.server(0).data().content().has(hash);
    }

    @Override
    public void close() throws IOException {
      servers.close();
    }
  }
}
