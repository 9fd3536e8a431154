package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.MessageText;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.UploadPartRequest;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * The server side of UploadPart: Push and GiveBack in unary parts. Part 0 carries the header, which
 * is checked at once by the very {@link PushReceiver.Action} Push (or GiveBack) uses; parts are
 * appended in {@link UploadStaging} at the offset the server holds; the last part hands the staged
 * delta to that action's work, which is {@code backend.push} (or {@code giveBack}) with the same
 * checks, errors and trailers as the streaming calls. Nothing reaches the vault before the last
 * part, and then only what the backend's push stores whole.
 */
final class UploadParts {
  /** Largest {@code data} of one part. */
  static final int MAX_PART_BYTES = 4 << 20;

  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  /** What an upload writes, from its checked header. */
  record Target(String vault, String what, PushReceiver.Work<UploadPartResponse> work) {}

  private final VaultTransport backend;
  private final UploadStaging staging;

  UploadParts(VaultTransport backend, UploadStaging staging) {
    this.backend = backend;
    this.staging = staging;
  }

  /** Takes one part of {@code device}'s upload and answers it. */
  UploadPartResponse part(UploadPartRequest r, String device) throws Exception {
    String id = r.getUploadId();
    if (!UPLOAD_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "upload_id \""
              + MessageText.quote(id)
              + "\"; expected 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
    }
    long offset = r.getOffset();
    int length = r.getData().size();
    if (offset < 0) {
      throw new IllegalArgumentException(
          "upload " + id + " part at offset " + offset + "; expected >= 0");
    }
    if (length > MAX_PART_BYTES) {
      throw new IllegalArgumentException(
          "upload " + id + " part of " + length + " bytes; at most " + MAX_PART_BYTES);
    }
    if (offset > 0 && r.hasHeader()) {
      throw new IllegalArgumentException(
          "upload "
              + id
              + " part at offset "
              + offset
              + " carries a header; only the part at offset 0 does");
    }
    UploadStaging.Key key = new UploadStaging.Key(device, id);
    UploadStaging.Upload u = staging.acquire(key);
    if (u == null) {
      if (offset != 0) {
        throw new NotFoundException(
            "no such upload "
                + id
                + " (idle for "
                + UploadStaging.IDLE.toMinutes()
                + " minutes, or the server restarted): start it again from offset 0");
      }
      if (!r.hasHeader()) {
        throw new IllegalArgumentException(
            "upload " + id + " part at offset 0 without a header; the first part carries it");
      }
      u = staging.open(key, target(r.getHeader(), device));
      if (u == null) {
        u = staging.acquire(key); // the same part 0 raced this one: a repeat, or a gap
      }
      if (u == null) {
        throw new NotFoundException(
            "no such upload " + id + " (dropped while this part waited): start it again");
      }
    }
    try {
      return take(u, r);
    } finally {
      staging.release(u);
    }
  }

  private UploadPartResponse take(UploadStaging.Upload u, UploadPartRequest r) throws Exception {
    String id = u.key.id();
    long offset = r.getOffset();
    int length = r.getData().size();
    boolean repeat = offset == u.lastOffset && length == u.lastLength;
    if (u.applied != null) {
      if (repeat && r.getLast()) {
        return u.applied; // the answer to the last part was lost: the same answer again
      }
      throw new IllegalArgumentException(
          "upload " + id + " was applied already; start a new upload with a new upload_id");
    }
    if (!repeat) {
      if (offset != u.received) {
        throw new IllegalArgumentException(
            "upload "
                + id
                + " part at offset "
                + offset
                + "; the server holds "
                + u.received
                + " bytes of it: send the part at offset "
                + u.received);
      }
      if (u.received + length > staging.maxDeltaBytes()) {
        staging.drop(u);
        throw new FileTooLargeException(
            u.target.vault(), u.target.what(), u.received + length, staging.maxDeltaBytes());
      }
      staging.append(u, r.getData().toByteArray(), offset);
    }
    if (!r.getLast()) {
      return UploadPartResponse.newBuilder().setReceived(u.received).build();
    }
    UploadPartResponse answer;
    try (InputStream delta = staging.read(u)) {
      answer = u.target.work().run(delta).toBuilder().setReceived(u.received).build();
    } catch (Exception e) {
      staging.drop(u);
      throw e;
    }
    staging.applied(u, answer);
    return answer;
  }

  /** Checks {@code header} as Push (or GiveBack, when give_back is set) checks it. */
  private Target target(PushHeader header, String device) {
    if (header.getGiveBack().isEmpty()) {
      var work = PushReceiver.push(backend, device).start(header);
      return new Target(
          header.getVault(),
          header.getPath(),
          delta -> UploadPartResponse.newBuilder().setEntry(work.run(delta).getEntry()).build());
    }
    var work = PushReceiver.giveBack(backend, device).start(header);
    return new Target(
        header.getVault(),
        "(content " + FromProto.hash("give_back", header.getGiveBack()).hex() + " given back)",
        delta -> UploadPartResponse.newBuilder().setStored(work.run(delta).getStored()).build());
  }
}
