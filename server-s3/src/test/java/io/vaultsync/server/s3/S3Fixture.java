package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the store's tests share: s3proxy with a bucket, one SQLite database (the metadata database
 * every "process" shares), a clock tests move, and stores opened on them (each with its own cache,
 * as each server process has).
 */
final class S3Fixture implements AutoCloseable {
  static final String BUCKET = "vaults";

  final Path dir;
  final S3ProxyServer s3;
  final FailingDatabase db;
  final ManualClock clock = new ManualClock(Instant.now());
  private final List<AutoCloseable> open = new ArrayList<>();
  private int stores;

  S3Fixture(Path dir) throws Exception {
    this.dir = dir;
    this.s3 = S3ProxyServer.start(dir.resolve("s3"));
    s3.createBucket(BUCKET);
    this.db = new FailingDatabase(SqliteDatabase.open(dir.resolve("meta.db")));
  }

  S3Settings settings(long cacheBytes) {
    return settings(cacheBytes, dir.resolve("cache-" + (++stores)));
  }

  S3Settings settings(long cacheBytes, Path cache) {
    return new S3Settings(
        new S3Location(BUCKET, "cluster/"),
        s3.endpoint(),
        "us-east-1",
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET)),
        cache,
        cacheBytes,
        clock);
  }

  /** A store as one server process opens it. */
  S3ContentStore store(long cacheBytes) throws IOException {
    S3ContentStore s = S3ContentStore.open(settings(cacheBytes), db);
    open.add(s);
    return s;
  }

  S3ContentStore store() throws IOException {
    return store(64L << 20);
  }

  /** The pack keys in the bucket now. */
  List<String> packKeys(S3ContentStore store) throws IOException {
    List<String> keys = new ArrayList<>();
    store.bucket().list(store.location().packsPrefix(), o -> keys.add(o.key()));
    return keys;
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static ContentHash put(S3ContentStore store, byte[]... contents) throws IOException {
    ContentHash last = null;
    try (StagingBatch batch = store.newBatch()) {
      for (byte[] c : contents) {
        last = batch.stage(out -> out.write(c)).hash();
      }
      batch.commit();
    }
    return last;
  }

  static byte[] read(S3ContentStore store, ContentHash h) throws IOException {
    try (InputStream in = store.open(h).stream()) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    db.close();
    s3.close();
  }
}
