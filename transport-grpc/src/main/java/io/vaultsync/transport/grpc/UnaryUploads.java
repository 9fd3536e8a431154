package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.UploadPartRequest;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * Pushes and give-backs of a client that makes unary calls only ({@link
 * GrpcVaultTransport#unaryOver}): the delta in {@code UploadPart} parts of at most {@link
 * #PART_BYTES}, each one call that carries the upload's id also as the {@value #UPLOAD_HEADER}
 * header (a load balancer routes every part of one upload to one server by it). A part whose answer
 * was lost is sent again (the server recognises its offset); the delta is read once, a part at a
 * time, so at most one part is in memory. When the server no longer holds the upload (it restarted,
 * or the upload sat idle), the push fails as {@link RemoteUnavailableException}: push again.
 */
final class UnaryUploads {
  /** Most delta bytes per part. */
  static final int PART_BYTES = 4 << 20;

  /** The header naming the upload (lower case, as gRPC metadata). */
  static final String UPLOAD_HEADER = "vaultsync-upload";

  private static final Metadata.Key<String> UPLOAD_KEY =
      Metadata.Key.of(UPLOAD_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final GrpcCalls calls;

  UnaryUploads(GrpcCalls calls) {
    this.calls = calls;
  }

  RemoteEntry push(String vault, NotePath path, ContentHash base, InputStream delta)
      throws IOException {
    Objects.requireNonNull(path, "path");
    PushHeader header = ToProto.pushHeader(vault, path, base);
    UploadPartResponse last = upload("uploading " + path.value(), vault, path, base, header, delta);
    if (!last.hasEntry()) {
      throw GrpcCalls.malformed("an upload's last answer with no entry");
    }
    return GrpcCalls.decode(() -> FromProto.entry(last.getEntry()));
  }

  /** A give-back; a server that does not know UploadPart takes nothing (false). */
  boolean giveBack(String vault, ContentHash hash, InputStream delta) throws IOException {
    Objects.requireNonNull(hash, "hash");
    PushHeader header = ToProto.giveBackHeader(vault, hash);
    try {
      return upload("giving back " + hash, vault, null, null, header, delta).getStored();
    } catch (Unimplemented e) {
      return false;
    }
  }

  /** A server that does not know UploadPart. */
  private static final class Unimplemented extends IOException {
    private static final long serialVersionUID = 1L;

    Unimplemented(StatusRuntimeException e) {
      super("the server does not take uploads in parts", e);
    }
  }

  private UploadPartResponse upload(
      String what,
      String vault,
      NotePath path,
      ContentHash base,
      PushHeader header,
      InputStream delta)
      throws IOException {
    Objects.requireNonNull(delta, "delta");
    String id = newUploadId();
    Metadata routing = new Metadata();
    routing.put(UPLOAD_KEY, id);
    PushbackInputStream in = new PushbackInputStream(delta, 1);
    long offset = 0;
    while (true) {
      byte[] data = in.readNBytes(PART_BYTES);
      int next = in.read();
      boolean last = next < 0;
      if (!last) {
        in.unread(next);
      }
      UploadPartRequest.Builder part =
          UploadPartRequest.newBuilder()
              .setUploadId(id)
              .setOffset(offset)
              .setData(ByteString.copyFrom(data))
              .setLast(last);
      if (offset == 0) {
        part.setHeader(header);
      }
      UploadPartRequest request = part.build();
      UploadPartResponse answer = sendPart(what, vault, path, base, request, routing);
      offset += data.length;
      if (!last && answer.getReceived() != offset) {
        throw GrpcCalls.malformed(
            "the server holds " + answer.getReceived() + " bytes of an upload of " + offset);
      }
      if (last) {
        return answer;
      }
    }
  }

  /** One part, retried when the connection failed (a part sent again is recognised). */
  private UploadPartResponse sendPart(
      String what,
      String vault,
      NotePath path,
      ContentHash base,
      UploadPartRequest request,
      Metadata routing)
      throws IOException {
    Duration deadline = calls.options.commitDeadline(request.getSerializedSize());
    CallRetrier.Attempt<UploadPartResponse> attempt =
        () -> {
          try {
            return calls
                .blocking(deadline)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(routing))
                .uploadPart(request);
          } catch (StatusRuntimeException e) {
            if (UnaryPages.unimplemented(e) && request.getOffset() == 0) {
              throw new Unimplemented(e);
            }
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND
                && request.getOffset() > 0
                && String.valueOf(e.getStatus().getDescription()).contains("no such upload")) {
              throw new RemoteUnavailableException(
                  "the server no longer holds the upload of " + what + "; push again");
            }
            throw calls.failure(
                e, what, null, deadline, vault, path == null ? null : path.value(), base);
          }
        };
    return calls.retrier.call(attempt);
  }

  /** A new upload id: 22 characters of [A-Za-z0-9_-] (128 random bits). */
  static String newUploadId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
