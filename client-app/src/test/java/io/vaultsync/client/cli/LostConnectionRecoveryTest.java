package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client does when the connection breaks at the worst moment (issue 12, item 13): a commit
 * applied by the server whose answer never arrives is retried, and the retry is safe (it comes back
 * stale with the commit's own versions, which the sync records: nothing twice, no conflict copy); a
 * commit with deletes is not retried; and a change feed on a connection that goes silent ends
 * within the keepalive instead of waiting forever.
 */
@Timeout(120)
class LostConnectionRecoveryTest {
  @TempDir Path tmp;
  private RelayedServer server;
  private Path a;
  private final Map<String, ContentHash> expected = new TreeMap<>();

  @BeforeEach
  void start() throws IOException {
    server = new RelayedServer(tmp.resolve("server"));
    a = Files.createDirectories(tmp.resolve("a"));
    for (int i = 0; i < 5; i++) {
      write("n" + i + ".md", "note " + i + "\n");
    }
    Cli.Run init = server.clean(server.initArgs(a));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private void write(String path, String content) throws IOException {
    Files.writeString(a.resolve(path), content);
    expected.put(path, ContentHash.digestOf(content.getBytes(StandardCharsets.UTF_8)));
  }

  private GrpcVaultTransport throughRelay(GrpcClientOptions options) throws IOException {
    return GrpcVaultTransport.connect(
        "127.0.0.1:" + server.relay.port(),
        server.token,
        ChannelSecurity.loopbackPlaintext(),
        options);
  }

  private static byte[] newFileDelta(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deltas.delta(
        Deltas.signature(new ByteArrayInputStream(new byte[0]), SignatureParams.forBasisLength(0)),
        new ByteArrayInputStream(content),
        out);
    return out.toByteArray();
  }

  @Test
  void aCommitWhoseAnswerWasLostIsRetriedAndComesBackStaleWithItsOwnVersion() throws IOException {
    byte[] content = "written once\n".getBytes(StandardCharsets.UTF_8);
    long head = server.data.vaults().changesSince(RelayedServer.VAULT, 0, 1000).headSeq();
    server.loseNextCommitAnswer.set(true);
    List<Outcome> outcomes;
    try (GrpcVaultTransport t = throughRelay(RelayedServer.QUICK)) {
      outcomes =
          t.commit(
              RelayedServer.VAULT,
              List.of(new Mutation.Put(NotePath.of("new.md"), null, newFileDelta(content))),
              "device",
              CommitOptions.DEFAULTS);
    }

    assertThat(server.relay.connections()).isGreaterThanOrEqualTo(2); // the retry dialled again
    assertThat(outcomes)
        .singleElement()
        .isInstanceOfSatisfying(
            Outcome.Stale.class,
            s -> {
              RemoteEntry current = s.current();
              assertThat(current.hash()).isEqualTo(ContentHash.digestOf(content));
              assertThat(current.seq()).isEqualTo(head + 1);
            });
    // applied once: one change in the ledger
    assertThat(server.data.vaults().changesSince(RelayedServer.VAULT, head, 1000).changes())
        .extracting(Change::seq)
        .containsExactly(head + 1);
  }

  @Test
  void aSyncWhoseCommitAnswerWasLostFinishesAndRecordsItsOwnVersions() throws IOException {
    long head = server.data.vaults().changesSince(RelayedServer.VAULT, 0, 1000).headSeq();
    write("n1.md", "note 1, edited\n");
    write("n2.md", "note 2, edited\n");
    write("added.md", "a new note\n");
    server.loseNextCommitAnswer.set(true);

    Cli.Run sync = server.cut("sync", a.toString());

    assertThat(sync.exitCode()).as(sync.stderr()).isZero();
    assertThat(sync.text()).contains("0 conflicts");
    assertThat(server.head()).isEqualTo(expected);
    assertThat(RelayedServer.folder(a)).isEqualTo(expected);
    // each change applied once, by the lost commit; the retry changed nothing
    assertThat(server.data.vaults().changesSince(RelayedServer.VAULT, head, 1000).changes())
        .hasSize(3);
    Cli.Run again = server.clean("sync", a.toString());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.text()).startsWith("synced at seq " + (head + 3) + ": 0 up, 0 down");
  }

  @Test
  void aCommitWithDeletesWhoseAnswerWasLostIsNotRetriedAndARerunConverges() throws IOException {
    Files.delete(a.resolve("n3.md"));
    expected.remove("n3.md");
    server.loseNextCommitAnswer.set(true);

    Cli.Run sync = server.cut("sync", a.toString());

    assertThat(sync.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(sync.stderr())
        .startsWith("vaultsync: sync: the connection to the server " + server.relay.url())
        .contains("was lost during the sync")
        .contains("while committing 1 change");
    assertThat(server.relay.connections()).isEqualTo(1);
    assertThat(server.head()).isEqualTo(expected); // applied, only the answer was lost
    Cli.Run rerun = server.clean("sync", a.toString());
    assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
    assertThat(RelayedServer.folder(a)).isEqualTo(expected);
  }

  @Test
  void aChangeFeedOnAConnectionThatGoesSilentEndsWithinTheKeepalive() throws Exception {
    BlockingQueue<Object> heard = new ArrayBlockingQueue<>(100);
    ChangeListener listener =
        new ChangeListener() {
          @Override
          public void onChanges(List<Change> changes, long headSeq) {
            heard.add(changes.size());
          }

          @Override
          public void onClosed(IOException cause) {
            heard.add(cause);
          }
        };
    // gRPC pings after 10 s at the soonest; the ping's answer may take 1 s
    GrpcClientOptions options =
        GrpcClientOptions.DEFAULTS.withKeepAlive(
            GrpcClientOptions.MIN_KEEPALIVE_TIME, Duration.ofSeconds(1));
    try (GrpcVaultTransport t = throughRelay(options);
        Subscription s = t.subscribe(RelayedServer.VAULT, 0, listener)) {
      assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo(5); // the feed is live
      long start = System.nanoTime();
      server.relay.stallAll();

      Object end = heard.poll(60, TimeUnit.SECONDS);

      assertThat(end)
          .isInstanceOfSatisfying(
              ConnectionLostException.class,
              e -> assertThat(e.detail()).containsIgnoringCase("keepalive"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
  }
}
