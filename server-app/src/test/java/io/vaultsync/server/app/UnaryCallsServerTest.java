package io.vaultsync.server.app;

import static io.vaultsync.server.app.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import io.vaultsync.transport.grpc.v1.FetchManyItem;
import io.vaultsync.transport.grpc.v1.FetchPageRequest;
import io.vaultsync.transport.grpc.v1.FetchPageResponse;
import io.vaultsync.transport.grpc.v1.GetManifestPageRequest;
import io.vaultsync.transport.grpc.v1.ManifestPage;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.UploadPartRequest;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import io.vaultsync.transport.grpc.v1.WaitChangesRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's unary calls against {@code vaultsync server} as it runs (SQLite ledger, pack store,
 * its change feed and history): UploadPart's parts staged in {@code DATA/tmp/uploads} (a previous
 * process's leftovers deleted on start), bounded by {@code --max-file-size}, applied as a push on
 * the last part; WaitChanges woken by the server's feed; GetManifestPage at a seq history keeps;
 * FetchPage pages of a file joining to its bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnaryCallsServerTest {
  @TempDir Path dir;

  @Test
  void partsAreStagedInTheDataFolderBoundedByTheLargestFileAndAppliedOnTheLast() throws Exception {
    Path uploads = ServerRun.uploadFolder(dir);
    Files.createDirectories(uploads);
    Path leftover = Files.write(uploads.resolve("upload-of-a-previous-process.part"), new byte[9]);
    Served server = serve("--max-file-size", "1M");
    assertThat(leftover).doesNotExist();
    try (GrpcVaultTransport client = server.client()) {
      client.createVault("notes");
      var stub = server.stub();
      byte[] content = new byte[600_000];
      new Random(15).nextBytes(content);
      byte[] delta = Deltas.delta(new byte[0], content);
      PushHeader header = PushHeader.newBuilder().setVault("notes").setPath("a.bin").build();
      String id = "server-upload-000000001";

      UploadPartResponse first =
          stub.uploadPart(
              UploadPartRequest.newBuilder()
                  .setUploadId(id)
                  .setHeader(header)
                  .setData(ByteString.copyFrom(delta, 0, 300_000))
                  .build());
      assertThat(first.getReceived()).isEqualTo(300_000);
      assertThat(staged(uploads)).hasSize(1);
      assertThat(client.manifest("notes").entries()).isEmpty();
      UploadPartResponse last =
          stub.uploadPart(
              UploadPartRequest.newBuilder()
                  .setUploadId(id)
                  .setOffset(300_000)
                  .setData(ByteString.copyFrom(Arrays.copyOfRange(delta, 300_000, delta.length)))
                  .setLast(true)
                  .build());

      assertThat(last.getEntry().getPath()).isEqualTo("a.bin");
      assertThat(client.manifest("notes").entries())
          .singleElement()
          .satisfies(e -> assertThat(e.hash()).isEqualTo(ContentHash.digestOf(content)));
      assertThat(staged(uploads)).isEmpty();

      byte[] tooLong = new byte[(1 << 20) + (100 << 10)];
      assertThatThrownBy(
              () ->
                  stub.uploadPart(
                      UploadPartRequest.newBuilder()
                          .setUploadId("server-upload-000000002")
                          .setHeader(header.toBuilder().setPath("big.bin"))
                          .setData(ByteString.copyFrom(tooLong))
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).contains("big.bin");
              });
      assertThat(staged(uploads)).isEmpty();
    } finally {
      server.stop();
    }
  }

  @Test
  void waitChangesManifestPagesAndFetchPagesWorkOnTheServersBackend() throws Exception {
    Served server = serve();
    try (GrpcVaultTransport client = server.client()) {
      client.createVault("notes");
      var stub = server.stub();
      var async =
          VaultSyncGrpc.newFutureStub(server.channel()).withCallCredentials(bearer(server.token()));
      byte[] big = new byte[300_000];
      new Random(15).nextBytes(big);
      var a = client.push("notes", NotePath.of("a.bin"), null, delta(big), "phone");
      var b = client.push("notes", NotePath.of("b.md"), null, delta("b".getBytes()), "phone");

      // WaitChanges: woken by a push made while it waits
      var waiting =
          async.waitChanges(
              WaitChangesRequest.newBuilder()
                  .setVault("notes")
                  .setAfterSeq(b.seq())
                  .setLimit(100)
                  .setWaitMillis(60_000)
                  .build());
      var c = client.push("notes", NotePath.of("c.md"), null, delta("c".getBytes()), "phone");
      assertThat(waiting.get(20, TimeUnit.SECONDS).getChangesList())
          .extracting(x -> x.getPath())
          .containsExactly("c.md");

      // GetManifestPage: the second page at the first page's seq, after a commit in between
      ManifestPage first =
          stub.getManifestPage(
              GetManifestPageRequest.newBuilder().setVault("notes").setLimit(2).build());
      client.push("notes", NotePath.of("a2.md"), null, delta("x".getBytes()), "phone");
      ManifestPage second =
          stub.getManifestPage(
              GetManifestPageRequest.newBuilder()
                  .setVault("notes")
                  .setAtSeq(first.getHeadSeq())
                  .setAfterPath(first.getEntries(1).getPath())
                  .setLimit(2)
                  .build());
      assertThat(first.getHeadSeq()).isEqualTo(c.seq());
      assertThat(first.getEntriesList())
          .extracting(x -> x.getPath())
          .containsExactly("a.bin", "b.md");
      assertThat(second.getEntriesList()).extracting(x -> x.getPath()).containsExactly("c.md");
      assertThat(second.getDone()).isTrue();

      // FetchPage: 64 KiB pages of the big file and the small one join to their contents
      FetchPageRequest request =
          FetchPageRequest.newBuilder()
              .setVault("notes")
              .addItems(
                  FetchManyItem.newBuilder().setTarget(ByteString.copyFrom(a.hash().toBytes())))
              .addItems(
                  FetchManyItem.newBuilder().setTarget(ByteString.copyFrom(b.hash().toBytes())))
              .setMaxBytes(64 << 10)
              .build();
      java.io.ByteArrayOutputStream[] deltas = {
        new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()
      };
      int pages = 0;
      while (true) {
        FetchPageResponse page = stub.fetchPage(request);
        pages++;
        for (var p : page.getPartsList()) {
          deltas[p.getIndex()].write(p.getData().toByteArray());
        }
        if (page.getDone()) {
          break;
        }
        request =
            request.toBuilder()
                .setStartIndex(page.getNextIndex())
                .setStartOffset(page.getNextOffset())
                .build();
      }
      assertThat(pages).isGreaterThan(5);
      assertThat(Deltas.patch(new byte[0], deltas[0].toByteArray())).isEqualTo(big);
      assertThat(Deltas.patch(new byte[0], deltas[1].toByteArray())).isEqualTo("b".getBytes());
    } finally {
      server.stop();
    }
  }

  /** A server run by the test, with one device token. */
  private record Served(
      String token,
      String target,
      ManagedChannel channel,
      CompletableFuture<Void> stopSignal,
      CompletableFuture<CommandRun> result) {
    VaultSyncGrpc.VaultSyncBlockingStub stub() {
      return VaultSyncGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    GrpcVaultTransport client() throws java.io.IOException {
      return GrpcVaultTransport.connect(
          target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS);
    }

    /** Stops the server; checks it exited 0. */
    void stop() throws Exception {
      channel.shutdownNow();
      stopSignal.complete(null);
      assertThat(result.get(20, TimeUnit.SECONDS).code()).isZero();
    }
  }

  /** Runs {@code vaultsync server} on {@link #dir} with {@code options}, on 127.0.0.1 port 0. */
  private Served serve(String... options) throws Exception {
    String token = run("token", "create", "--data", dir.toString(), "--name", "phone").out().trim();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, running -> port.complete(running.port()));
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of("--data", dir.toString(), "--listen", "127.0.0.1:0"));
    args.addAll(java.util.List.of(options));
    CompletableFuture<CommandRun> result =
        CompletableFuture.supplyAsync(() -> run(command, args.toArray(String[]::new)));
    String target = "127.0.0.1:" + port.get(20, TimeUnit.SECONDS);
    return new Served(
        token, target, NettyChannelBuilder.forTarget(target).usePlaintext().build(), stop, result);
  }

  private static java.io.InputStream delta(byte[] content) {
    return new java.io.ByteArrayInputStream(Deltas.delta(new byte[0], content));
  }

  private static java.util.List<Path> staged(Path uploads) throws java.io.IOException {
    try (Stream<Path> files = Files.list(uploads)) {
      return files.toList();
    }
  }

  private static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(m);
      }
    };
  }
}
