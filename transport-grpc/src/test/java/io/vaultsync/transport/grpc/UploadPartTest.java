package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.UploadPartRequest;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UploadPart: Push and GiveBack in unary parts, staged per device and upload id. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadPartTest extends UnaryCallsFixture {
  static final long SEED = 1515;
  static final String ID = "upload-0123456789abcdef";

  static PushHeader header(String path, ContentHash base) {
    var b = PushHeader.newBuilder().setVault(VAULT).setPath(path);
    if (base != null) {
      b.setBase(ToProto.hash(base));
    }
    return b.build();
  }

  static UploadPartRequest part(String id, long offset, byte[] data, boolean last) {
    return UploadPartRequest.newBuilder()
        .setUploadId(id)
        .setOffset(offset)
        .setData(ByteString.copyFrom(data))
        .setLast(last)
        .build();
  }

  static UploadPartRequest first(String id, PushHeader header, byte[] data, boolean last) {
    return part(id, 0, data, last).toBuilder().setHeader(header).build();
  }

  /** Sends {@code delta} in parts of {@code partBytes}; the last answer. */
  UploadPartResponse upload(String id, PushHeader header, byte[] delta, int partBytes) {
    UploadPartResponse r = null;
    int off = 0;
    do {
      int n = Math.min(partBytes, delta.length - off);
      byte[] data = Arrays.copyOfRange(delta, off, off + n);
      boolean last = off + n == delta.length;
      r = stub.uploadPart(off == 0 ? first(id, header, data, last) : part(id, off, data, last));
      off += n;
      assertThat(r.getReceived()).isEqualTo(off);
    } while (off < delta.length);
    return r;
  }

  List<Path> stagingFiles() throws IOException {
    try (Stream<Path> files = Files.list(staging)) {
      return files.toList();
    }
  }

  static String id(int n) {
    return String.format("upload-%016d", n);
  }

  @Test
  void partsJoinToWhatPushStores() throws Exception {
    byte[] content = TestDeltas.random(SEED, 9 << 20);
    byte[] delta = TestDeltas.delta(content);

    UploadPartResponse r = upload(ID, header("big.bin", null), delta, UploadParts.MAX_PART_BYTES);

    RemoteEntry entry = FromProto.entry(r.getEntry());
    assertThat(entry.path().value()).isEqualTo("big.bin");
    assertThat(entry.hash()).isEqualTo(ContentHash.digestOf(content));
    assertThat(store.content(VAULT, entry.hash())).isEqualTo(content);
    assertThat(store.manifest(VAULT).entries()).containsExactly(entry);
    assertThat(store.changesSince(VAULT, 0, 10).changes().get(0).device()).isEqualTo(DEVICE);
    assertThat(stagingFiles()).isEmpty();
  }

  @Test
  void anEditAgainstABaseAndAGiveBackRunThePushAndGiveBackPaths() throws Exception {
    byte[] v1 = TestDeltas.random(SEED, 100_000);
    RemoteEntry first = put("note.md", v1);
    byte[] v2 = v1.clone();
    v2[500] ^= 7;

    UploadPartResponse edit =
        upload(ID, header("note.md", first.hash()), TestDeltas.delta(v1, v2), 1000);
    assertThat(store.content(VAULT, FromProto.entry(edit.getEntry()).hash())).isEqualTo(v2);

    store.loseContent(VAULT, first.hash());
    UploadPartResponse given =
        upload(
            id(2),
            PushHeader.newBuilder().setVault(VAULT).setGiveBack(ToProto.hash(first.hash())).build(),
            TestDeltas.delta(v1),
            40_000);
    assertThat(given.getStored()).isTrue();
    assertThat(given.hasEntry()).isFalse();
    assertThat(store.content(VAULT, first.hash())).isEqualTo(v1);
  }

  @Test
  void nothingIsVisibleBeforeTheLastPart() throws Exception {
    byte[] delta = TestDeltas.delta(TestDeltas.random(SEED, 50_000));
    stub.uploadPart(first(ID, header("a.bin", null), Arrays.copyOf(delta, 1000), false));

    assertThat(store.manifest(VAULT).entries()).isEmpty();
    assertThat(store.changesSince(VAULT, 0, 10).changes()).isEmpty();
    assertThat(stagingFiles()).hasSize(1);
  }

  @Test
  void aRepeatedPartIsAcknowledgedWithoutBeingStoredTwice() throws Exception {
    byte[] content = TestDeltas.random(SEED, 30_000);
    byte[] delta = TestDeltas.delta(content);
    byte[] a = Arrays.copyOfRange(delta, 0, 10_000);
    byte[] b = Arrays.copyOfRange(delta, 10_000, 20_000);
    byte[] c = Arrays.copyOfRange(delta, 20_000, delta.length);
    PushHeader h = header("a.bin", null);

    stub.uploadPart(first(ID, h, a, false));
    assertThat(stub.uploadPart(first(ID, h, a, false)).getReceived()).isEqualTo(10_000);
    stub.uploadPart(part(ID, 10_000, b, false));
    assertThat(stub.uploadPart(part(ID, 10_000, b, false)).getReceived()).isEqualTo(20_000);
    UploadPartResponse done = stub.uploadPart(part(ID, 20_000, c, true));
    // the answer to the last part was lost: the same part again gets the same answer
    UploadPartResponse again = stub.uploadPart(part(ID, 20_000, c, true));

    assertThat(again).isEqualTo(done);
    assertThat(store.content(VAULT, FromProto.entry(done.getEntry()).hash())).isEqualTo(content);
    assertThat(store.changesSince(VAULT, 0, 10).changes()).hasSize(1);
  }

  @Test
  void aGapIsRefusedNamingBothOffsets() {
    stub.uploadPart(first(ID, header("a.bin", null), new byte[1000], false));

    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            () -> stub.uploadPart(part(ID, 5000, new byte[10], false)));

    assertThat(e.getStatus().getDescription())
        .contains(ID)
        .contains("offset 5000")
        .contains("holds 1000 bytes");
  }

  @Test
  void anUnknownIdAtANonZeroOffsetIsNotFoundNamingTheId() {
    var e =
        refused(Status.Code.NOT_FOUND, () -> stub.uploadPart(part(ID, 4096, new byte[10], true)));

    assertThat(e.getStatus().getDescription())
        .contains("no such upload " + ID)
        .contains("from offset 0");
  }

  @Test
  void aStaleBaseIsAbortedWithTheCurrentVersionAndDropsTheUpload() throws Exception {
    RemoteEntry v1 = put("note.md", "one".getBytes());
    RemoteEntry v2 = put("note.md", v1.hash(), "two".getBytes());

    var e =
        refused(
            Status.Code.ABORTED,
            () ->
                stub.uploadPart(
                    first(
                        ID,
                        header("note.md", v1.hash()),
                        TestDeltas.delta("one".getBytes(), "three".getBytes()),
                        true)));

    assertThat(FromProto.entry(e.getTrailers().get(StatusMapping.CURRENT_KEY))).isEqualTo(v2);
    assertThat(stagingFiles()).isEmpty();
    refused(Status.Code.NOT_FOUND, () -> stub.uploadPart(part(ID, 10, new byte[1], true)));
  }

  @Test
  void aDeltaPastTheLargestFileIsResourceExhaustedWithTheLimitTrailer() throws Exception {
    long max = new UploadSettings(staging, MAX_FILE_BYTES, clock).maxDeltaBytes();
    byte[] chunk = new byte[UploadParts.MAX_PART_BYTES];
    stub.uploadPart(first(ID, header("huge.bin", null), chunk, false));
    long off = chunk.length;
    while (off + chunk.length <= max) {
      stub.uploadPart(part(ID, off, chunk, false));
      off += chunk.length;
    }
    long at = off;

    var e =
        refused(Status.Code.RESOURCE_EXHAUSTED, () -> stub.uploadPart(part(ID, at, chunk, false)));

    assertThat(e.getTrailers().get(StatusMapping.LIMIT_KEY).getFileTooLarge().getPath())
        .isEqualTo("huge.bin");
    assertThat(e.getStatus().getDescription()).contains("huge.bin");
    assertThat(stagingFiles()).isEmpty();
  }

  @Test
  void atMost64UploadsPerDeviceAndIdleOnesAreDroppedWithTheirFiles() throws Exception {
    for (int i = 0; i < UploadStaging.MAX_OPEN_PER_DEVICE; i++) {
      stub.uploadPart(first(id(i), header("f" + i + ".bin", null), new byte[100], false));
    }
    assertThat(stagingFiles()).hasSize(64);

    var e =
        refused(
            Status.Code.RESOURCE_EXHAUSTED,
            () -> stub.uploadPart(first(id(64), header("g.bin", null), new byte[100], false)));
    assertThat(e.getStatus().getDescription()).contains("64 uploads open").contains(id(64));

    clock.advance(UploadStaging.IDLE.minus(Duration.ofSeconds(1)));
    stub.uploadPart(part(id(0), 100, new byte[100], false)); // keeps upload 0 alive
    clock.advance(Duration.ofSeconds(2));

    stub.uploadPart(first(id(64), header("g.bin", null), new byte[100], false));
    assertThat(stagingFiles()).hasSize(2); // upload 0 and the new one; 63 idle ones dropped
    assertThat(stub.uploadPart(part(id(0), 200, new byte[1], false)).getReceived()).isEqualTo(201);
    refused(Status.Code.NOT_FOUND, () -> stub.uploadPart(part(id(1), 100, new byte[1], false)));
  }

  @Test
  void filesAPreviousProcessLeftAreDeletedOnStart() throws Exception {
    Path left = Files.write(staging.resolve("upload-left-over.part"), new byte[10]);
    Path other = Files.write(staging.resolve("not-ours.txt"), new byte[10]);

    new UploadStaging(new UploadSettings(staging, MAX_FILE_BYTES, clock));

    assertThat(left).doesNotExist();
    assertThat(other).exists();
  }

  @Test
  void refusesHostileValuesNamingThem() throws Exception {
    PushHeader h = header("a.md", null);
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(first("short", h, new byte[1], true))))
        .contains("upload_id \"short\"")
        .contains("16 to 64");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(first("bad/id/0123456789abc", h, new byte[1], true))))
        .contains("bad/id/0123456789abc");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(first("x".repeat(65), h, new byte[1], true))))
        .contains("x".repeat(65));
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () ->
                    stub.uploadPart(first(ID, h, new byte[UploadParts.MAX_PART_BYTES + 1], false))))
        .contains("4194305 bytes");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(part(ID, 0, new byte[1], true))))
        .contains("without a header");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(part(ID, -3, new byte[1], true))))
        .contains("offset -3");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () ->
                    stub.uploadPart(
                        first(ID, h, new byte[1], false).toBuilder().setOffset(7).build())))
        .contains("offset 7 carries a header");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(first(ID, header("a//b.md", null), new byte[1], true))))
        .contains("a//b.md");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () ->
                    stub.uploadPart(
                        first(
                            ID,
                            h.toBuilder().setGiveBack(ByteString.copyFromUtf8("x")).build(),
                            new byte[1],
                            true))))
        .contains("give");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.uploadPart(first(ID, h, "not a delta".getBytes(), true))))
        .isNotEmpty();
    assertThat(store.manifest(VAULT).entries()).isEmpty();
  }
}
