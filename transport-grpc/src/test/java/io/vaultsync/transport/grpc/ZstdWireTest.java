package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.transport.grpc.v1.CommitRequest;
import io.vaultsync.transport.grpc.v1.Put;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code zstd} encoding over a real Netty server on 127.0.0.1: bulk calls compressed and
 * counted as they cross the wire, peers without zstd still served, hostile frames refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZstdWireTest {
  private static final String TOKEN = GrpcTransportContract.TOKEN;
  private static final String VAULT = "notes";
  private static final long SEED = 16;

  /** Bytes per note a compressor cannot shrink: its SHA-256 in the delta, path, framing. */
  private static final int PER_NOTE_OVERHEAD = 96;

  private final ObservedBackend backend = new ObservedBackend();
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Server server;

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    workers.shutdownNow();
  }

  @Test
  void initAndCloneOfAThousandNotesGoZstdCompressedAndCountCompressedBytes() throws IOException {
    startServer(true);
    List<byte[]> notes = notes(1000);
    long zstdOfAll = zstdSize(notes);
    long lz4Deltas = 0;
    for (byte[] n : notes) {
      lz4Deltas += TestDeltas.delta(n).length;
    }
    System.out.println(
        "seed " + SEED + ": zstd of all notes " + zstdOfAll + ", LZ4 deltas " + lz4Deltas);
    try (GrpcVaultTransport client = connect()) {
      client.createVault(VAULT); // the first answer tells the client the server reads zstd
      long before = client.wireStats().bytesSent();
      List<Outcome> outcomes = client.commit(VAULT, puts(notes), "laptop");
      long sent = client.wireStats().bytesSent() - before;
      assertThat(outcomes).allMatch(o -> o instanceof Outcome.Applied);
      for (byte[] n : notes) {
        assertThat(backend.store.content(VAULT, ContentHash.digestOf(n))).isEqualTo(n);
      }

      long received = client.wireStats().bytesReceived();
      List<byte[]> fetched = fetchAll(client, notes);
      received = client.wireStats().bytesReceived() - received;
      assertThat(fetched).containsExactlyElementsOf(notes);

      long bound = zstdOfAll + (long) PER_NOTE_OVERHEAD * notes.size();
      System.out.println("init sent " + sent + ", clone received " + received + ", bound " + bound);
      assertThat(sent).isLessThan(bound).isLessThan(lz4Deltas * 3 / 4);
      assertThat(received).isLessThan(bound).isLessThan(lz4Deltas * 3 / 4);
    }
  }

  @Test
  void clientWithoutZstdStillSyncsAndGetsUncompressedDeltas() throws IOException {
    startServer(true);
    List<byte[]> notes = notes(200);
    ManagedChannel plain = track(plainChannel());
    try (GrpcVaultTransport old =
        GrpcVaultTransport.over(plain, TOKEN, GrpcClientOptions.DEFAULTS)) {
      old.createVault(VAULT);
      assertThat(old.commit(VAULT, puts(notes), "laptop"))
          .allMatch(o -> o instanceof Outcome.Applied);
      long received = old.wireStats().bytesReceived();
      assertThat(fetchAll(old, notes)).containsExactlyElementsOf(notes);
      long lz4Deltas = 0;
      for (byte[] n : notes) {
        lz4Deltas += TestDeltas.delta(n).length;
      }
      // today's LZ4 deltas, uncompressed by gRPC: at least their own size
      assertThat(old.wireStats().bytesReceived() - received).isGreaterThan(lz4Deltas);
    }
  }

  @Test
  void serverWithoutZstdIsSentNoZstd() throws IOException {
    startServer(false);
    List<byte[]> notes = notes(200);
    try (GrpcVaultTransport client = connect()) {
      client.createVault(VAULT);
      assertThat(client.commit(VAULT, puts(notes), "laptop"))
          .allMatch(o -> o instanceof Outcome.Applied);
      assertThat(fetchAll(client, notes)).containsExactlyElementsOf(notes);
    }
  }

  @Test
  void zstdBombIsRefusedWithResourceExhaustedNamingTheLimitAndNothingStored() throws IOException {
    startServer(true);
    backend.createVault(VAULT);
    // 16 MiB of zeros: a few hundred bytes compressed, twice the largest message decompressed
    CommitRequest bomb = onePut("bomb.md", new byte[16 << 20]);
    ManagedChannel ch = track(channel(ZstdCodec.compressors()));
    assertThatThrownBy(() -> stub(ch).commit(bomb))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              System.out.println("bomb: " + e.getStatus());
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .contains(String.valueOf(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE));
            });
    assertThat(backend.manifest(VAULT).entries()).isEmpty();
  }

  @Test
  void truncatedZstdFrameIsRefusedAndNothingStored() throws IOException {
    startServer(true);
    backend.createVault(VAULT);
    CompressorRegistry truncating = CompressorRegistry.newEmptyInstance();
    truncating.register(new TruncatingZstd());
    ManagedChannel ch = track(channel(truncating));
    byte[] note = notes(1).get(0);
    CommitRequest request = onePut("a.md", TestDeltas.delta(note));
    assertThatThrownBy(() -> stub(ch).commit(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              System.out.println("truncated frame: " + e.getStatus());
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("compressed with zstd does not decompress");
            });
    assertThat(backend.manifest(VAULT).entries()).isEmpty();
  }

  /** zstd that sends only the first half of each frame. */
  private static final class TruncatingZstd implements Codec {
    @Override
    public String getMessageEncoding() {
      return ZstdCodec.NAME;
    }

    @Override
    public OutputStream compress(OutputStream os) {
      return new ByteArrayOutputStream() {
        @Override
        public void close() throws IOException {
          byte[] frame = Zstd.compress(toByteArray(), ZstdCodec.LEVEL);
          os.write(frame, 0, frame.length / 2);
          os.close();
        }
      };
    }

    @Override
    public InputStream decompress(InputStream is) {
      throw new UnsupportedOperationException();
    }
  }

  private void startServer(boolean zstd) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    VaultSyncServices.configure(builder);
    if (!zstd) { // as a server of today: gRPC's own registries
      builder
          .compressorRegistry(CompressorRegistry.getDefaultInstance())
          .decompressorRegistry(io.grpc.DecompressorRegistry.getDefaultInstance());
    }
    server =
        builder
            .addService(VaultSyncServices.definition(backend, GrpcTransportContract.AUTH, workers))
            .build()
            .start();
  }

  private GrpcVaultTransport connect() throws IOException {
    return GrpcVaultTransport.connect(
        "127.0.0.1:" + server.getPort(),
        TOKEN,
        ChannelSecurity.loopbackPlaintext(),
        GrpcClientOptions.DEFAULTS);
  }

  private ManagedChannel plainChannel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext()
        .maxInboundMessageSize(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE)
        .build();
  }

  private ManagedChannel channel(CompressorRegistry compressors) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext()
        .compressorRegistry(compressors)
        .build();
  }

  private ManagedChannel track(ManagedChannel c) {
    channels.add(c);
    return c;
  }

  private static VaultSyncGrpc.VaultSyncBlockingStub stub(ManagedChannel ch) {
    return VaultSyncGrpc.newBlockingStub(ch)
        .withCallCredentials(new BearerTokenCredentials(TOKEN))
        .withCompression(ZstdCodec.NAME)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Note-like text: lines of words from a small vocabulary, headings, links. */
  static List<byte[]> notes(int count) {
    String[] words =
        ("the of and to in is that for it as with was on be by this are or at from vault note "
                + "sync server client delta file folder link markdown heading list task done "
                + "project meeting idea draft review week plan read write obsidian graph tag")
            .split(" ");
    Random random = new Random(SEED);
    List<byte[]> notes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder("# Note ").append(i).append("\n\n");
      int lines = 20 + random.nextInt(60);
      for (int l = 0; l < lines; l++) {
        if (random.nextInt(8) == 0) {
          b.append("## ").append(words[random.nextInt(words.length)]).append('\n');
        }
        int n = 5 + random.nextInt(12);
        for (int w = 0; w < n; w++) {
          b.append(words[random.nextInt(words.length)]).append(w == n - 1 ? ".\n" : " ");
        }
        if (random.nextInt(5) == 0) {
          b.append("- [[note ").append(random.nextInt(count)).append("]]\n");
        }
      }
      notes.add(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    return notes;
  }

  private static long zstdSize(List<byte[]> notes) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] n : notes) {
      all.write(n);
    }
    return Zstd.compress(all.toByteArray(), ZstdCodec.LEVEL).length;
  }

  private static List<Mutation> puts(List<byte[]> notes) {
    List<Mutation> puts = new ArrayList<>(notes.size());
    for (int i = 0; i < notes.size(); i++) {
      puts.add(
          new Mutation.Put(NotePath.of("n/" + i + ".md"), null, TestDeltas.delta(notes.get(i))));
    }
    return puts;
  }

  /** Fetches every note (as a delta against nothing) in batches and patches it. */
  private static List<byte[]> fetchAll(GrpcVaultTransport client, List<byte[]> notes)
      throws IOException {
    List<FetchItem> items = new ArrayList<>();
    for (byte[] n : notes) {
      items.add(new FetchItem(ContentHash.digestOf(n), null));
    }
    List<ByteArrayOutputStream> deltas = new ArrayList<>();
    for (int from = 0; from < items.size(); from += 1000) {
      List<FetchItem> batch = items.subList(from, Math.min(items.size(), from + 1000));
      int offset = from;
      client.fetchMany(
          VAULT,
          batch,
          new FetchReceiver() {
            @Override
            public OutputStream begin(int index) {
              ByteArrayOutputStream d = new ByteArrayOutputStream();
              deltas.add(d);
              assertThat(deltas).hasSize(offset + index + 1);
              return d;
            }

            @Override
            public void end(int index) {}

            @Override
            public void notFound(int index, String message) {
              throw new AssertionError(message);
            }
          });
    }
    List<byte[]> result = new ArrayList<>();
    for (ByteArrayOutputStream d : deltas) {
      result.add(TestDeltas.patch(new byte[0], d.toByteArray()));
    }
    return result;
  }

  /** A commit of one put of {@code delta} at {@code path}, sent as raw protobuf. */
  private static CommitRequest onePut(String path, byte[] delta) {
    return CommitRequest.newBuilder()
        .setVault(VAULT)
        .addMutations(
            io.vaultsync.transport.grpc.v1.Mutation.newBuilder()
                .setPut(Put.newBuilder().setPath(path).setDelta(ByteString.copyFrom(delta))))
        .build();
  }
}
