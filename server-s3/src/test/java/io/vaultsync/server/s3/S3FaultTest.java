package io.vaultsync.server.s3;

import static io.vaultsync.server.s3.S3Fixture.put;
import static io.vaultsync.server.s3.S3Fixture.random;
import static io.vaultsync.server.s3.S3Fixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Faults: the object store or the database going away mid-commit, and the one-line errors an
 * operator sees for an unreachable endpoint, a missing bucket and refused credentials.
 */
class S3FaultTest extends S3TestBase {
  @Test
  void theObjectStoreGoingAwayMidCommitLeavesNothingAndARetrySucceedsOnceItIsBack()
      throws Exception {
    S3ContentStore a = f.store();
    byte[] x = random(30_000, 1);
    ContentHash hx = ContentHash.digestOf(x);
    a.commitHook =
        step -> {
          if (step.equals("before-put")) {
            try {
              f.s3.stop();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
    assertThatThrownBy(() -> put(a, x))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("cannot be reached")
        .hasMessageContaining(f.s3.endpoint().toString())
        .hasMessageNotContaining("\n");
    a.commitHook = step -> {};
    assertThat(a.has(hx)).isFalse();
    assertThat(a.gcIndex().pinned()).as("the failed batch's pins are dropped at close").isEmpty();

    f.s3.restart();
    assertThat(f.packKeys(a)).isEmpty();
    assertThat(put(a, x)).isEqualTo(hx);
    assertThat(read(f.store(0), hx)).isEqualTo(x);
  }

  @Test
  void theDatabaseFailingAfterThePutLeavesAnOrphanThatGcRemovesAndARetrySucceeds()
      throws Exception {
    S3ContentStore a = f.store();
    byte[] x = random(30_000, 2);
    ContentHash hx = ContentHash.digestOf(x);
    a.commitHook =
        step -> {
          if (step.equals("after-put")) {
            f.db.down.set(true);
          }
        };
    assertThatThrownBy(() -> put(a, x)).hasMessageContaining("cannot be reached (test)");
    a.commitHook = step -> {};
    f.db.down.set(false);
    assertThat(a.has(hx)).isFalse();
    assertThat(f.packKeys(a)).as("the orphan").hasSize(1);
    String orphan = f.packKeys(a).get(0);

    assertThat(put(a, x)).isEqualTo(hx); // the client's retry
    assertThat(f.packKeys(a)).hasSize(2);
    assertThat(a.collect(() -> Set.of(hx)).dropped()).as("content GC leaves orphans").isZero();

    f.clock.advance(S3ContentStore.DEFAULT_ORPHAN_GRACE.plusSeconds(1));
    assertThat(a.deleteOrphans(S3ContentStore.DEFAULT_ORPHAN_GRACE).deleted()).isEqualTo(1);
    assertThat(f.packKeys(a)).hasSize(1).doesNotContain(orphan);
    assertThat(read(f.store(0), hx)).isEqualTo(x);
  }

  @Test
  void anUnreachableEndpointIsOneLineNamingTheStore() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    S3Settings bad = withEndpoint(f.settings(0), URI.create("http://127.0.0.1:" + port));
    assertThatThrownBy(() -> S3ContentStore.open(bad, f.db))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("s3://vaults/cluster/ at http://127.0.0.1:" + port)
        .hasMessageContaining("cannot be reached")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aMissingBucketIsOneLineNamingIt() {
    S3Settings s = f.settings(0);
    S3Settings missing =
        new S3Settings(
            new S3Location("no-such-bucket", ""),
            s.endpoint(),
            s.region(),
            s.credentials(),
            s.cache(),
            0,
            s.clock());
    assertThatThrownBy(() -> S3ContentStore.open(missing, f.db))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageStartingWith("bucket no-such-bucket does not exist in s3://no-such-bucket/")
        .hasMessageNotContaining("\n");
  }

  @Test
  void refusedCredentialsAreOneLineNamingTheStore() {
    S3Settings s = f.settings(0);
    S3Settings wrong =
        new S3Settings(
            s.location(),
            s.endpoint(),
            s.region(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "wrong")),
            s.cache(),
            0,
            s.clock());
    assertThatThrownBy(() -> S3ContentStore.open(wrong, f.db))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining(
            "s3://vaults/cluster/ at " + s.endpoint() + " refused the credentials")
        .hasMessageNotContaining("\n");
  }

  private static S3Settings withEndpoint(S3Settings s, URI endpoint) {
    return new S3Settings(
        s.location(), endpoint, s.region(), s.credentials(), s.cache(), 0, s.clock());
  }
}
