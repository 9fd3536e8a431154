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
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.UploadPartRequest;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
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
 * UploadPart against {@code vaultsync server} as it runs: parts staged in {@code DATA/tmp/uploads}
 * (a previous process's leftovers deleted on start), bounded by {@code --max-file-size}, applied as
 * a push on the last part.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadPartServerTest {
  @TempDir Path dir;

  @Test
  void partsAreStagedInTheDataFolderBoundedByTheLargestFileAndAppliedOnTheLast() throws Exception {
    String token = run("token", "create", "--data", dir.toString(), "--name", "phone").out().trim();
    Path uploads = ServerRun.uploadFolder(dir);
    Files.createDirectories(uploads);
    Path leftover = Files.write(uploads.resolve("upload-of-a-previous-process.part"), new byte[9]);
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, running -> port.complete(running.port()));
    CompletableFuture<CommandRun> result =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    command,
                    "--data",
                    dir.toString(),
                    "--listen",
                    "127.0.0.1:0",
                    "--max-file-size",
                    "1M"));
    String target = "127.0.0.1:" + port.get(20, TimeUnit.SECONDS);
    assertThat(leftover).doesNotExist();
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try (GrpcVaultTransport client =
        GrpcVaultTransport.connect(
            target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS)) {
      client.createVault("notes");
      var stub = VaultSyncGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
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
      channel.shutdownNow();
      stop.complete(null);
    }
    assertThat(result.get(20, TimeUnit.SECONDS).code()).isZero();
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
