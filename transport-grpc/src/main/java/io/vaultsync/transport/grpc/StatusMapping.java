package io.vaultsync.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.AuthenticationException;
import io.vaultsync.core.transport.ConnectionLostException;
import io.vaultsync.core.transport.DeleteLimits;
import io.vaultsync.core.transport.FeedGapException;
import io.vaultsync.core.transport.InvalidRequestException;
import io.vaultsync.core.transport.MassDeleteRefusedException;
import io.vaultsync.core.transport.NotFoundException;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.RemoteStalledException;
import io.vaultsync.core.transport.RemoteUnavailableException;
import io.vaultsync.core.transport.StaleVersionException;
import io.vaultsync.core.transport.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
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
 *       <td>{@link RemoteUnavailableException}</td></tr>
 *   <tr><td>(no connection could be made: refused, unknown host, TLS)</td><td>UNAVAILABLE</td>
 *       <td>{@link RemoteUnavailableException} ("cannot reach"), see {@link
 *       #toConnectionException}</td></tr>
 *   <tr><td>(the connection broke mid-call; a cancel the client did not ask for)</td>
 *       <td>UNAVAILABLE, CANCELLED</td><td>{@link ConnectionLostException}</td></tr>
 *   <tr><td>(the server went silent: deadline, stall timeout)</td>
 *       <td>DEADLINE_EXCEEDED, CANCELLED</td><td>{@link RemoteStalledException}</td></tr>
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

  /** The description of the UNAVAILABLE a server answers when its workers are all busy. */
  static final String BUSY = "server busy; retry later";

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
      return Status.UNAVAILABLE.withDescription(BUSY).asRuntimeException();
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
   * The exception for a client call that failed on the connection rather than by the server's
   * answer, or null when {@code e} is the server's answer (then {@link #toException} maps it):
   *
   * <ul>
   *   <li>the call's stall watchdog fired, or the call's deadline passed after the server had been
   *       reached: {@link RemoteStalledException} (the server stopped sending or answering);
   *   <li>UNAVAILABLE because the connection could not be made (refused, unknown host, no route,
   *       TLS handshake), or a deadline that passed while still waiting for a connection, and this
   *       client has never been answered: {@link RemoteUnavailableException}, "cannot reach";
   *   <li>any other UNAVAILABLE (reset, closed, GOAWAY, a refused reconnect after answers), and a
   *       CANCELLED the client did not ask for: {@link ConnectionLostException}.
   * </ul>
   *
   * @param what what the call was doing, for the message ("downloading 12 files")
   * @param reachedBefore whether this client has had any answer from the server (headers or a
   *     message), on any call
   * @param stall the call's watchdog, or null
   * @param deadline the call's deadline, or null for a call without one
   */
  static IOException toConnectionException(
      StatusRuntimeException e,
      String what,
      boolean reachedBefore,
      StallWatchdog stall,
      Duration deadline) {
    Status status = e.getStatus();
    IOException out;
    if (stall != null && stall.fired()) {
      out = new RemoteStalledException(what, stall.timeout());
    } else {
      out =
          switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> deadlineExceeded(status, what, reachedBefore, deadline);
            case UNAVAILABLE -> unavailable(e, what, reachedBefore);
            case CANCELLED ->
                new ConnectionLostException(what, "the call was cancelled: " + describe(status));
            case UNKNOWN, INTERNAL ->
                // made here, not answered by the server (whose statuses carry no cause): the
                // transport's own I/O failed, e.g. "channel closed" mid-handshake
                ioCause(status.getCause())
                    ? new ConnectionLostException(
                        what,
                        status.getCode() + ": " + describe(status) + causeText(status.getCause()))
                    : null;
            default -> null;
          };
    }
    if (out != null) {
      out.initCause(e);
    }
    return out;
  }

  private static IOException deadlineExceeded(
      Status status, String what, boolean reachedBefore, Duration deadline) {
    String d = describe(status);
    if (!reachedBefore && d.contains("waiting_for_connection")) {
      return new RemoteUnavailableException("DEADLINE_EXCEEDED: no connection: " + d);
    }
    if (deadline == null) {
      return new ConnectionLostException(what, "DEADLINE_EXCEEDED: " + d);
    }
    return new RemoteStalledException(what, deadline);
  }

  private static IOException unavailable(
      StatusRuntimeException e, String what, boolean reachedBefore) {
    Status status = e.getStatus();
    String d = describe(status) + causeText(status.getCause());
    if (BUSY.equals(status.getDescription()) && status.getCause() == null) {
      return null; // the server's own answer
    }
    if (!reachedBefore && cannotConnect(status.getCause())) {
      return new RemoteUnavailableException("UNAVAILABLE: " + d);
    }
    return new ConnectionLostException(what, "UNAVAILABLE: " + d);
  }

  /** Whether {@code t} is (or wraps) an I/O failure of the connection itself. */
  private static boolean ioCause(Throwable t) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code t} (or a cause of it) says the connection could not be made at all. */
  static boolean cannotConnect(Throwable t) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /**
   * ": MESSAGE" of the transport's cause (the first in its chain that has one, e.g. "Connection
   * refused" or a TLS handshake's "PKIX path building failed"), or "" when none adds anything.
   */
  private static String causeText(Throwable cause) {
    for (int depth = 0; cause != null && depth < 10; cause = cause.getCause(), depth++) {
      String m = cause.getMessage();
      if (m != null && !m.isBlank()) {
        m = m.strip().replaceAll("\\s+", " ");
        return ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
      }
    }
    return "";
  }

  /**
   * A {@link MassDeleteRefusedException} from the trailer of a refused Commit, or an {@link
   * InvalidRequestException} for any other FAILED_PRECONDITION (or a malformed trailer).
   */
  private static IOException massDelete(
      StatusRuntimeException e, String vault, String description) {
    Metadata trailers = e.getTrailers();
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
