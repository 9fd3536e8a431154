package io.vaultsync.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.AuthenticationException;
import io.vaultsync.core.transport.DeleteLimits;
import io.vaultsync.core.transport.FeedGapException;
import io.vaultsync.core.transport.InvalidRequestException;
import io.vaultsync.core.transport.MassDeleteRefusedException;
import io.vaultsync.core.transport.NotFoundException;
import io.vaultsync.core.transport.PathRefusedException;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.RemoteUnavailableException;
import io.vaultsync.core.transport.StaleVersionException;
import io.vaultsync.core.transport.TransportException;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <tr><td>(message too large)</td><td>RESOURCE_EXHAUSTED</td>
 *       <td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>(bad or missing token)</td><td>UNAUTHENTICATED</td>
 *       <td>{@link AuthenticationException}</td></tr>
 *   <tr><td>{@link RejectedExecutionException} (server busy)</td><td>UNAVAILABLE</td>
 *       <td>{@link RemoteUnavailableException}, also for DEADLINE_EXCEEDED</td></tr>
 *   <tr><td>anything else</td><td>INTERNAL, generic message with an incident id (the stack trace
 *       is logged on the server, never sent)</td><td>{@link IOException}</td></tr>
 * </table>
 */
final class StatusMapping {
  /** Binary trailer of an ABORTED push: the current version as a {@code v1.RemoteEntry}. */
  static final String CURRENT_TRAILER = "vaultsync-current-bin";

  static final Metadata.Key<io.vaultsync.transport.grpc.v1.RemoteEntry> CURRENT_KEY =
      Metadata.Key.of(
          CURRENT_TRAILER,
          new Metadata.BinaryMarshaller<>() {
            @Override
            public byte[] toBytes(io.vaultsync.transport.grpc.v1.RemoteEntry value) {
              return value.toByteArray();
            }

            @Override
            public io.vaultsync.transport.grpc.v1.RemoteEntry parseBytes(byte[] serialized) {
              try {
                return io.vaultsync.transport.grpc.v1.RemoteEntry.parseFrom(serialized);
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException(
                    "trailer " + CURRENT_TRAILER + " is not a RemoteEntry: " + e.getMessage(), e);
              }
            }
          });

  /**
   * ASCII trailer of a Commit refused as a mass delete: {@code
   * deletes=N;files=N;maxFiles=N;maxPercent=N;percentFloor=N}.
   */
  static final String MASS_DELETE_TRAILER = "vaultsync-mass-delete";

  static final Metadata.Key<String> MASS_DELETE_KEY =
      Metadata.Key.of(MASS_DELETE_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

  /** Binary trailer of a push refused for its path: a {@code v1.Refused} (path, reason). */
  static final String REFUSED_TRAILER = "vaultsync-refused-bin";

  static final Metadata.Key<io.vaultsync.transport.grpc.v1.Refused> REFUSED_KEY =
      Metadata.Key.of(
          REFUSED_TRAILER,
          new Metadata.BinaryMarshaller<>() {
            @Override
            public byte[] toBytes(io.vaultsync.transport.grpc.v1.Refused value) {
              return value.toByteArray();
            }

            @Override
            public io.vaultsync.transport.grpc.v1.Refused parseBytes(byte[] serialized) {
              try {
                return io.vaultsync.transport.grpc.v1.Refused.parseFrom(serialized);
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException(
                    "trailer " + REFUSED_TRAILER + " is not a Refused: " + e.getMessage(), e);
              }
            }
          });

  private static final Logger LOG = LoggerFactory.getLogger(StatusMapping.class);
  private static final int MAX_DESCRIPTION_CHARS = 2000;

  private StatusMapping() {}

  // ---- server side ----

  /** The status a server call answers when the backend (or the request) threw {@code t}. */
  static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (t instanceof StaleVersionException stale) {
      Metadata trailers = new Metadata();
      if (stale.current() != null) {
        trailers.put(CURRENT_KEY, ToProto.entry(stale.current()));
      }
      return Status.ABORTED.withDescription(stale.getMessage()).asRuntimeException(trailers);
    }
    if (t instanceof MassDeleteRefusedException m) {
      Metadata trailers = new Metadata();
      DeleteLimits l = m.limits() != null ? m.limits() : DeleteLimits.DEFAULTS;
      trailers.put(
          MASS_DELETE_KEY,
          "deletes="
              + m.deletes()
              + ";files="
              + m.files()
              + ";maxFiles="
              + l.maxFiles()
              + ";maxPercent="
              + l.maxPercent()
              + ";percentFloor="
              + l.percentFloor());
      return Status.FAILED_PRECONDITION
          .withDescription(m.getMessage())
          .asRuntimeException(trailers);
    }
    if (t instanceof PathRefusedException r) {
      Metadata trailers = new Metadata();
      trailers.put(
          REFUSED_KEY,
          io.vaultsync.transport.grpc.v1.Refused.newBuilder()
              .setPath(r.path())
              .setReason(r.reason())
              .build());
      return Status.FAILED_PRECONDITION
          .withDescription(r.getMessage())
          .asRuntimeException(trailers);
    }
    if (t instanceof FeedGapException) {
      return Status.OUT_OF_RANGE.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof NotFoundException) {
      return Status.NOT_FOUND.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof FormatException
        || t instanceof IllegalArgumentException
        || t instanceof InvalidRequestException) {
      return Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof AuthenticationException) {
      return Status.UNAUTHENTICATED.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof RejectedExecutionException || t instanceof RemoteUnavailableException) {
      return Status.UNAVAILABLE.withDescription("server busy; retry later").asRuntimeException();
    }
    if (t instanceof StreamAbortedException) {
      return Status.CANCELLED.withDescription(t.getMessage()).asRuntimeException();
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("internal error, incident {}", incident, t);
    return Status.INTERNAL
        .withDescription("internal server error (incident " + incident + ")")
        .asRuntimeException();
  }

  /**
   * As {@link #toStatus}, for CreateVault, where an {@link IllegalStateException} means the vault
   * exists. ({@code InProcessVaultTransport} throws {@link IllegalArgumentException} for that,
   * which answers INVALID_ARGUMENT: the name cannot be told apart from a bad one without parsing
   * messages.)
   */
  static StatusRuntimeException toCreateVaultStatus(Throwable t) {
    if (t instanceof IllegalStateException) {
      return Status.ALREADY_EXISTS.withDescription(t.getMessage()).asRuntimeException();
    }
    return toStatus(t);
  }

  // ---- client side ----

  /**
   * The exception a client call throws for {@code e}. {@code vault}, {@code path} and {@code base}
   * name the write for a {@link StaleVersionException} (null where the call has none).
   */
  static IOException toException(
      StatusRuntimeException e, String vault, String path, ContentHash base) {
    Status status = e.getStatus();
    String description = describe(status);
    IOException out =
        switch (status.getCode()) {
          case ABORTED -> stale(e, vault, path, base);
          case NOT_FOUND -> new NotFoundException(description);
          case FAILED_PRECONDITION -> massDelete(e, vault, description);
          case INVALID_ARGUMENT, ALREADY_EXISTS, OUT_OF_RANGE ->
              new InvalidRequestException(description);
          case RESOURCE_EXHAUSTED ->
              new InvalidRequestException(
                  "message too large or limit reached (RESOURCE_EXHAUSTED): " + description);
          case UNAUTHENTICATED, PERMISSION_DENIED -> new AuthenticationException(description);
          case UNAVAILABLE, DEADLINE_EXCEEDED ->
              new RemoteUnavailableException(status.getCode() + ": " + description);
          default ->
              new IOException("remote call failed: " + status.getCode() + ": " + description);
        };
    if (out.getCause() == null) {
      out.initCause(e);
    }
    return out;
  }

  /**
   * A {@link MassDeleteRefusedException} from the trailer of a refused Commit, or an {@link
   * InvalidRequestException} for any other FAILED_PRECONDITION (or a malformed trailer).
   */
  private static IOException massDelete(
      StatusRuntimeException e, String vault, String description) {
    Metadata trailers = e.getTrailers();
    try {
      if (trailers != null && trailers.containsKey(REFUSED_KEY)) {
        io.vaultsync.transport.grpc.v1.Refused r = trailers.get(REFUSED_KEY);
        return new PathRefusedException(
            vault,
            FromProto.path("refused path", r.getPath()).value(),
            FromProto.reason(r.getReason()));
      }
    } catch (IllegalArgumentException bad) {
      return new InvalidRequestException(
          description + " (malformed " + REFUSED_TRAILER + " trailer: " + bad.getMessage() + ")");
    }
    String value = trailers == null ? null : trailers.get(MASS_DELETE_KEY);
    if (value == null) {
      return new InvalidRequestException(description);
    }
    java.util.Map<String, Long> fields = new java.util.HashMap<>();
    for (String part : value.split(";", 16)) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.length() - eq <= 20) {
        try {
          fields.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
        } catch (NumberFormatException bad) {
          // Left out: reported below as a malformed trailer.
        }
      }
    }
    try {
      DeleteLimits limits =
          new DeleteLimits(
              Math.toIntExact(fields.get("maxFiles")),
              Math.toIntExact(fields.get("maxPercent")),
              Math.toIntExact(fields.get("percentFloor")));
      long deletes = fields.get("deletes");
      long files = fields.get("files");
      if (deletes < 0 || files < 0) {
        throw new IllegalArgumentException("negative count");
      }
      return new MassDeleteRefusedException(vault, deletes, files, limits);
    } catch (NullPointerException | ArithmeticException | IllegalArgumentException bad) {
      return new InvalidRequestException(
          description
              + " (malformed "
              + MASS_DELETE_TRAILER
              + " trailer: "
              + bad.getMessage()
              + ")");
    }
  }

  /**
   * As {@link #toException}, for a Subscribe call: OUT_OF_RANGE is a {@link FeedGapException}, and
   * CANCELLED (which the client did not ask for: its own cancel is never reported) means the server
   * went away, a {@link RemoteUnavailableException}: subscribe again.
   */
  static IOException toSubscribeException(StatusRuntimeException e, String vault, long afterSeq) {
    IOException out =
        switch (e.getStatus().getCode()) {
          case OUT_OF_RANGE -> new FeedGapException(vault, afterSeq, describe(e.getStatus()));
          case CANCELLED ->
              new RemoteUnavailableException("change feed cut: " + describe(e.getStatus()));
          default -> null;
        };
    if (out == null) {
      return toException(e, vault, null, null);
    }
    out.initCause(e);
    return out;
  }

  private static IOException stale(
      StatusRuntimeException e, String vault, String path, ContentHash base) {
    RemoteEntry current = null;
    Metadata trailers = e.getTrailers();
    try {
      if (trailers != null && trailers.containsKey(CURRENT_KEY)) {
        current = FromProto.entry(trailers.get(CURRENT_KEY));
      }
    } catch (IllegalArgumentException bad) {
      return new IOException(
          "malformed stale-version trailer from the remote: " + bad.getMessage());
    }
    if (path == null) {
      return new InvalidRequestException("unexpected ABORTED: " + describe(e.getStatus()));
    }
    TransportException stale = new StaleVersionException(vault, path, base, current);
    return stale;
  }

  private static String describe(Status status) {
    String d = status.getDescription();
    if (d == null || d.isEmpty()) {
      return status.getCode().toString();
    }
    return d.length() > MAX_DESCRIPTION_CHARS
        ? d.substring(0, MAX_DESCRIPTION_CHARS) + "...(" + d.length() + " chars)"
        : d;
  }
}
