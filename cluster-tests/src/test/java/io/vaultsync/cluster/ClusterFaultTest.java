package io.vaultsync.cluster;

import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.postgres.PostgresFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server of two processes whose database or object store goes away while clients commit (each
 * reached through a {@link TcpProxy} the test cuts): the commit fails and leaves nothing behind (no
 * ledger row, no gap), the client's retry succeeds once the service is back, and a subscriber of
 * the other process sees every acknowledged commit once and in order.
 */
@Timeout(180)
class ClusterFaultTest {
  private static S3ProxyProcess s3;

  @TempDir static Path s3Folder;
  @TempDir Path tmp;

  private TcpProxy database;
  private TcpProxy objects;
  private ClusterServers cluster;
  private VaultTransport laptop;
  private VaultTransport phone;

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

  @BeforeEach
  void startCluster() throws IOException {
    var url = PostgresFixture.newDatabase();
    database = new TcpProxy(url.port());
    objects = new TcpProxy(s3.port());
    String viaProxy =
        url.describe()
            .replace("127.0.0.1:" + url.port() + "/", "127.0.0.1:" + database.port() + "/");
    cluster =
        ClusterServers.start(
            tmp,
            2,
            viaProxy,
            URI.create(
                "s3://"
                    + S3ProxyProcess.BUCKET
                    + "/f"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)),
            URI.create("http://127.0.0.1:" + objects.port()),
            Clock.systemUTC(),
            DeleteLimits.DEFAULTS,
            StorageLimits.DEFAULTS);
    laptop = cluster.connect(0, "laptop");
    phone = cluster.connect(1, "phone");
    laptop.createVault("notes");
  }

  @AfterEach
  void stopCluster() throws IOException {
    database.restore();
    objects.restore();
    cluster.close();
    database.close();
    objects.close();
  }

  @Test
  void theDatabaseGoingAwayFailsTheCommitWholeAndTheRetrySucceedsOnceItIsBack() throws Exception {
    try (Feed feed = new Feed(phone)) {
      laptop.commit("notes", List.of(putNew("before.md", "before the outage")), "laptop");
      database.cut();
      commitOfDuringFails();
      database.restore();
      retryCommitOfDuring();
      assertLedger("before.md", "during.md");
      await().atMost(Duration.ofSeconds(30)).until(() -> feed.seqs().size() >= 2);
      assertThat(feed.seqs()).containsExactly(1L, 2L);
    }
  }

  @Test
  void theObjectStoreGoingAwayFailsTheCommitWholeAndTheRetrySucceedsOnceItIsBack()
      throws Exception {
    laptop.commit("notes", List.of(putNew("before.md", "before the outage")), "laptop");
    objects.cut();
    commitOfDuringFails();
    assertThat(phone.changesSince("notes", 0, 100).headSeq()).isEqualTo(1);
    objects.restore();
    retryCommitOfDuring();
    assertLedger("before.md", "during.md");
    assertThat(
            io.vaultsync.protocol.testkit.ContractData.fetch(
                phone,
                io.vaultsync.protocol.testkit.ContractData.hash("during"),
                null,
                new byte[0]))
        .asString()
        .isEqualTo("during");
  }

  /** The laptop's commit of during.md fails (a service is cut). */
  private void commitOfDuringFails() {
    assertThatThrownBy(
            () -> laptop.commit("notes", List.of(putNew("during.md", "during")), "laptop"))
        .isInstanceOf(IOException.class);
  }

  /** The laptop retries its commit of during.md, as a client does, until it goes through. */
  private void retryCommitOfDuring() {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                !laptop
                    .commit("notes", List.of(putNew("during.md", "during")), "laptop")
                    .isEmpty());
  }

  /** The ledger, read through the other process, holds exactly these paths at seqs 1, 2, ... */
  private void assertLedger(String... paths) throws IOException {
    List<Change> changes = phone.changesSince("notes", 0, 100).changes();
    assertThat(changes).extracting(c -> c.path().value()).containsExactly(paths);
    for (int i = 0; i < changes.size(); i++) {
      assertThat(changes.get(i).seq()).isEqualTo(i + 1);
    }
  }

  /**
   * A live subscriber as the watch client is one: the seqs it received, in order, and when the
   * server ends its subscription (the process could not read the ledger during the outage), it
   * subscribes again from the last seq it has, until it is closed.
   */
  private static final class Feed implements ChangeListener, AutoCloseable {
    private final VaultTransport via;
    private final List<Long> seqs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private volatile long last;
    private volatile boolean closed;
    private volatile Subscription subscription;

    Feed(VaultTransport via) throws IOException {
      this.via = via;
      subscription = via.subscribe("notes", 0, this);
    }

    @Override
    public void onChanges(List<Change> batch, long headSeq) {
      batch.forEach(c -> seqs.add(c.seq()));
      last = batch.get(batch.size() - 1).seq();
    }

    @Override
    public void onClosed(IOException cause) {
      if (!closed) {
        retries.schedule(this::again, 200, TimeUnit.MILLISECONDS);
      }
    }

    private void again() {
      try {
        subscription = via.subscribe("notes", last, this);
      } catch (IOException e) {
        onClosed(e);
      }
    }

    List<Long> seqs() {
      return List.copyOf(seqs);
    }

    @Override
    public void close() throws IOException {
      closed = true;
      retries.shutdownNow();
      subscription.close();
    }
  }
}
