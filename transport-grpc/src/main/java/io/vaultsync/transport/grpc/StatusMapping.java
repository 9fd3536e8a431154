package io.vaultsync.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.ServerStorageException;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.TransportException;
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
 *       #toConnectionException}</td></tr>
 *   <tr><td>(the connection broke mid-call; a cancel the client did not ask for)</td>
 *       <td>UNAVAILABLE, CANCELLED</td><td>{@link ConnectionLostException}</td></tr>
 *   <tr><td>(the server went silent: deadline, stall timeout)</td>
 *       <td>DEADLINE_EXCEEDED, CANCELLED</td><td>{@link RemoteStalledException}</td></tr>
 *   <tr><td>anything else</td><td>INTERNAL, generic message with an incident id (the stack trace
 *       is logged on the server, never sent)</td><td>{@link IOException}</td></tr>
 * </table>
 *
 * <p>Over 400 lines on purpose: one table both ways (exception to status and trailers on the
 * server, status back to exception on the client), so a code and its exception cannot drift apart.
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

  /**
   * Binary trailer of a Commit or Push refused by a server limit: a {@code v1.LimitRefusal} (which
   * file was too large, or the vault's usage and quota).
   */
  static final String LIMIT_TRAILER = "vaultsync-limit-bin";

  static final Metadata.Key<io.vaultsync.transport.grpc.v1.LimitRefusal> LIMIT_KEY =
      Metadata.Key.of(
          LIMIT_TRAILER,
          new Metadata.BinaryMarshaller<>() {
            @Override
            public byte[] toBytes(io.vaultsync.transport.grpc.v1.LimitRefusal value) {
              return value.toByteArray();
            }

            @Override
            public io.vaultsync.transport.grpc.v1.LimitRefusal parseBytes(byte[] serialized) {
              try {
                return io.vaultsync.transport.grpc.v1.LimitRefusal.parseFrom(serialized);
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException(
                    "trailer " + LIMIT_TRAILER + " is not a LimitRefusal: " + e.getMessage(), e);
              }
            }
          });

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

  /**
   * ASCII trailer of a call the server could not store because its storage failed: {@code full}.
   */
  static final String STORAGE_TRAILER = "vaultsync-storage";

  static final Metadata.Key<String> STORAGE_KEY =
      Metadata.Key.of(STORAGE_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

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
    if (t instanceof FileTooLargeException || t instanceof QuotaExceededException) {
      Metadata trailers = new Metadata();
      trailers.put(LIMIT_KEY, limitRefusal((TransportException) t));
      return Status.RESOURCE_EXHAUSTED.withDescription(t.getMessage()).asRuntimeException(trailers);
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
      return Status.UNAVAILABLE.withDescription(BUSY).asRuntimeException();
    }
    if (t instanceof StreamAbortedException) {
      return Status.CANCELLED.withDescription(t.getMessage()).asRuntimeException();
    }
    String storage = storageFailure(t);
    if (storage != null) {
      LOG.error("could not store a client's upload: {}", storage);
      Metadata trailers = new Metadata();
      trailers.put(STORAGE_KEY, "full");
      return Status.RESOURCE_EXHAUSTED
          .withDescription(
              "the server's disk is full ("
                  + storage
                  + "); nothing of this call was stored: ask the server's operator to free space,"
                  + " then run the command again")
          .asRuntimeException(trailers);
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("internal error, incident {}", incident, t);
    return Status.INTERNAL
        .withDescription("internal server error (incident " + incident + ")")
        .asRuntimeException();
  }

  /**
   * The reason, if {@code t} or a cause is the server's own storage failing (a full or read-only
   * disk), else null. The file name is left out: it is the server's business, not the client's.
   */
  static String storageFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m =
          c instanceof java.nio.file.FileSystemException f && f.getReason() != null
              ? f.getReason()
              : c.getMessage();
      if (m == null) {
        continue;
      }
      String lower = m.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("no space left on device")) {
        return "no space left on device";
      }
      if (lower.contains("database or disk is full")) {
        return "database or disk is full";
      }
      if (lower.contains("disk quota exceeded")) {
        return "disk quota exceeded";
      }
      if (lower.contains("read-only file system")) {
        return "read-only file system";
      }
    }
    return null;
  }

  /**
   * As {@link #toStatus}, for CreateVault, where an {@link IllegalStateException} means the vault
   * exists. ({@code InProcessVaultTransport} throws {@link InvalidRequestException} for that, which
   * answers INVALID_ARGUMENT: the name cannot be told apart from a bad one without parsing
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
          case RESOURCE_EXHAUSTED -> limit(e, vault, description);
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

  private static io.vaultsync.transport.grpc.v1.LimitRefusal limitRefusal(TransportException t) {
    var b = io.vaultsync.transport.grpc.v1.LimitRefusal.newBuilder();
    if (t instanceof FileTooLargeException f) {
      b.setFileTooLarge(
          io.vaultsync.transport.grpc.v1.FileTooLarge.newBuilder()
              .setPath(f.path())
              .setReached(f.reached())
              .setLimit(f.limit()));
    } else {
      QuotaExceededException q = (QuotaExceededException) t;
      b.setVault(q.vault())
          .setQuotaExceeded(
              io.vaultsync.transport.grpc.v1.QuotaExceeded.newBuilder()
                  .setUsage(q.usage())
                  .setAdding(q.adding())
                  .setQuota(q.quota()));
    }
    return b.build();
  }

  /**
   * A {@link FileTooLargeException} or {@link QuotaExceededException} from the trailer of a call a
   * server limit refused, or an {@link InvalidRequestException} for any other RESOURCE_EXHAUSTED (a
   * message over the size limit) or a malformed trailer.
   */
  private static IOException limit(StatusRuntimeException e, String vault, String description) {
    Metadata trailers = e.getTrailers();
    io.vaultsync.transport.grpc.v1.LimitRefusal r;
    try {
      r = trailers == null ? null : trailers.get(LIMIT_KEY);
    } catch (IllegalArgumentException bad) {
      return new InvalidRequestException(description + " (" + bad.getMessage() + ")");
    }
    if (r == null) {
      return resourceExhausted(e, description);
    }
    String v = vault != null ? vault : r.getVault();
    switch (r.getKindCase()) {
      case FILE_TOO_LARGE -> {
        var f = r.getFileTooLarge();
        if (f.getPath().isEmpty() || f.getReached() < 0 || f.getLimit() < 0) {
          break;
        }
        return new FileTooLargeException(v, f.getPath(), f.getReached(), f.getLimit());
      }
      case QUOTA_EXCEEDED -> {
        var q = r.getQuotaExceeded();
        if (q.getUsage() < 0 || q.getAdding() < 0 || q.getQuota() < 0) {
          break;
        }
        return new QuotaExceededException(v, q.getUsage(), q.getAdding(), q.getQuota());
      }
      default -> {
        // malformed: below
      }
    }
    return new InvalidRequestException(
        description + " (malformed " + LIMIT_TRAILER + " trailer: " + r.getKindCase() + ")");
  }

  /**
   * A {@link ServerStorageException} when the server says its storage failed (trailer {@value
   * #STORAGE_TRAILER}), else an {@link InvalidRequestException}: a message too large or a limit.
   */
  private static IOException resourceExhausted(StatusRuntimeException e, String description) {
    Metadata trailers = e.getTrailers();
    if (trailers != null && trailers.get(STORAGE_KEY) != null) {
      return new ServerStorageException(description);
    }
    return new InvalidRequestException(
        "message too large or limit reached (RESOURCE_EXHAUSTED): " + description);
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
