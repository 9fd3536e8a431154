package io.vaultsync.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.Metadata;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.ServerStorageException;
import io.vaultsync.protocol.StaleVersionException;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Exceptions to gRPC statuses on the server and back on the client: the one place each way.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>server throws</th><th>status</th><th>client throws</th></tr>
 *   <tr><td>{@link StaleVersionException}</td><td>ABORTED + trailer {@value #CURRENT_TRAILER}</td>
 *       <td>{@link StaleVersionException} with {@code current()}</td></tr>
 *   <tr><td>{@link FeedGapException}</td><td>OUT_OF_RANGE</td><td>{@link FeedGapException}
 *       (Subscribe; elsewhere {@link InvalidRequestException})</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>NOT_FOUND</td><td>{@link NotFoundException}</td></tr>
 *   <tr><td>{@link MassDeleteRefusedException}</td><td>FAILED_PRECONDITION + trailer {@value
 *       #MASS_DELETE_TRAILER}</td><td>{@link MassDeleteRefusedException} with the counts and
 *       limits</td></tr>
 *   <tr><td>{@link PathRefusedException} (a push of a path no client could hold)</td>
 *       <td>FAILED_PRECONDITION + trailer {@value #REFUSED_TRAILER}</td>
 *       <td>{@link PathRefusedException} with the path and reason (an older client: {@link
 *       InvalidRequestException} with the message)</td></tr>
 *   <tr><td>{@link FormatException}, {@link IllegalArgumentException},
 *       {@link InvalidRequestException}</td><td>INVALID_ARGUMENT</td>
 *       <td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>{@link IllegalStateException} from CreateVault</td><td>ALREADY_EXISTS</td>
 *       <td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>{@link FileTooLargeException}, {@link QuotaExceededException}</td>
 *       <td>RESOURCE_EXHAUSTED + trailer {@value #LIMIT_TRAILER}</td><td>the same exception,
 *       with its values</td></tr>
 *   <tr><td>(message too large)</td><td>RESOURCE_EXHAUSTED</td>
 *       <td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>an I/O error of the server's own storage: no space left, read-only file system</td>
 *       <td>RESOURCE_EXHAUSTED + trailer {@value #STORAGE_TRAILER}</td>
 *       <td>{@link ServerStorageException}</td></tr>
 *   <tr><td>(bad or missing token)</td><td>UNAUTHENTICATED</td>
 *       <td>{@link AuthenticationException}</td></tr>
 *   <tr><td>{@link RejectedExecutionException} (server busy)</td><td>UNAVAILABLE</td>
 *       <td>{@link RemoteUnavailableException}</td></tr>
 *   <tr><td>(no connection could be made: refused, unknown host, TLS)</td><td>UNAVAILABLE</td>
 *       <td>{@link RemoteUnavailableException} ("cannot reach"), see {@link
 *       ConnectionFailures}</td></tr>
 *   <tr><td>(the connection broke mid-call; a cancel the client did not ask for)</td>
 *       <td>UNAVAILABLE, CANCELLED</td><td>{@link ConnectionLostException}</td></tr>
 *   <tr><td>(the server went silent: deadline, stall timeout)</td>
 *       <td>DEADLINE_EXCEEDED, CANCELLED</td><td>{@link RemoteStalledException}</td></tr>
 *   <tr><td>anything else</td><td>INTERNAL, generic message with an incident id (the stack trace
 *       is logged on the server, never sent)</td><td>{@link IOException}</td></tr>
 * </table>
 *
 * <p>The table is kept here, once for both directions, with the trailers both sides read, so a code
 * and its exception cannot drift apart; the server direction is {@link ToStatus}, the client's
 * {@link FromStatus} (the server's answer) and {@link ConnectionFailures} (a call that failed on
 * the connection, not by an answer).
 */
final class StatusMapping {
  /** Binary trailer of an ABORTED push: the current version as a {@code v1.RemoteEntry}. */
  static final String CURRENT_TRAILER = "vaultsync-current-bin";

  static final Metadata.Key<io.vaultsync.transport.grpc.v1.RemoteEntry> CURRENT_KEY =
      protoKey(CURRENT_TRAILER, io.vaultsync.transport.grpc.v1.RemoteEntry.parser(), "RemoteEntry");

  /**
   * ASCII trailer of a Commit refused as a mass delete: {@code
   * deletes=N;files=N;maxFiles=N;maxPercent=N;percentFloor=N}.
   */
  static final String MASS_DELETE_TRAILER = "vaultsync-mass-delete";

  static final Metadata.Key<String> MASS_DELETE_KEY =
      Metadata.Key.of(MASS_DELETE_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Binary trailer of a Commit or Push refused by a server limit: a {@code v1.LimitRefusal} (which
   * file was too large, or the vault's usage and quota).
   */
  static final String LIMIT_TRAILER = "vaultsync-limit-bin";

  static final Metadata.Key<io.vaultsync.transport.grpc.v1.LimitRefusal> LIMIT_KEY =
      protoKey(LIMIT_TRAILER, io.vaultsync.transport.grpc.v1.LimitRefusal.parser(), "LimitRefusal");

  /** Binary trailer of a push refused for its path: a {@code v1.Refused} (path, reason). */
  static final String REFUSED_TRAILER = "vaultsync-refused-bin";

  static final Metadata.Key<io.vaultsync.transport.grpc.v1.Refused> REFUSED_KEY =
      protoKey(REFUSED_TRAILER, io.vaultsync.transport.grpc.v1.Refused.parser(), "Refused");

  /**
   * ASCII trailer of a call the server could not store because its storage failed: {@code full}.
   */
  static final String STORAGE_TRAILER = "vaultsync-storage";

  static final Metadata.Key<String> STORAGE_KEY =
      Metadata.Key.of(STORAGE_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

  /** The description of the UNAVAILABLE a server answers when its workers are all busy. */
  static final String BUSY = "server busy; retry later";

  private StatusMapping() {}

  /**
   * A binary trailer carrying one protobuf message; a trailer that does not parse reads as an
   * {@link IllegalArgumentException} naming it.
   */
  private static <T extends MessageLite> Metadata.Key<T> protoKey(
      String name, Parser<T> parser, String type) {
    return Metadata.Key.of(
        name,
        new Metadata.BinaryMarshaller<T>() {
          @Override
          public byte[] toBytes(T value) {
            return value.toByteArray();
          }

          @Override
          public T parseBytes(byte[] serialized) {
            try {
              return parser.parseFrom(serialized);
            } catch (InvalidProtocolBufferException e) {
              throw new IllegalArgumentException(
                  "trailer " + name + " is not a " + type + ": " + e.getMessage(), e);
            }
          }
        });
  }
}
