package io.vaultsync.transport.grpc;

import static io.vaultsync.transport.grpc.StatusMapping.CURRENT_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.LIMIT_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.LIMIT_TRAILER;
import static io.vaultsync.transport.grpc.StatusMapping.MASS_DELETE_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.MASS_DELETE_TRAILER;
import static io.vaultsync.transport.grpc.StatusMapping.REFUSED_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.REFUSED_TRAILER;
import static io.vaultsync.transport.grpc.StatusMapping.STORAGE_KEY;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.ServerStorageException;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.TransportException;
import java.io.IOException;

/**
 * The client direction of {@link StatusMapping}'s table for the server's answers: the exception a
 * call throws for the status (and trailers) it got. A trailer that does not parse is named in the
 * exception, never trusted. A call that failed on the connection is {@link ConnectionFailures}'.
 */
final class FromStatus {
  private static final int MAX_DESCRIPTION_CHARS = 2000;

  private FromStatus() {}

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

  /** The status's description, bounded; its code when it has none. */
  static String describe(Status status) {
    String d = status.getDescription();
    if (d == null || d.isEmpty()) {
      return status.getCode().toString();
    }
    return d.length() > MAX_DESCRIPTION_CHARS
        ? d.substring(0, MAX_DESCRIPTION_CHARS) + "...(" + d.length() + " chars)"
        : d;
  }
}
