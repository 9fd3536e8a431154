package io.vaultsync.transport.grpc;

import static io.vaultsync.transport.grpc.StatusMapping.BUSY;
import static io.vaultsync.transport.grpc.StatusMapping.CURRENT_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.LIMIT_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.MASS_DELETE_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.REFUSED_KEY;
import static io.vaultsync.transport.grpc.StatusMapping.STORAGE_KEY;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.TransportException;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server direction of {@link StatusMapping}'s table: what a failed call answers, as a status
 * and its trailers. A bug answers INTERNAL with an incident id; its stack trace is logged here,
 * never sent.
 */
final class ToStatus {
  private static final Logger LOG = LoggerFactory.getLogger(ToStatus.class);

  private ToStatus() {}

  /** The status a server call answers when the backend (or the request) threw {@code t}. */
  static StatusRuntimeException of(Throwable t) {
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
   * As {@link #of}, for CreateVault, where an {@link IllegalStateException} means the vault exists.
   * ({@code InProcessVaultTransport} throws {@link InvalidRequestException} for that, which answers
   * INVALID_ARGUMENT: the name cannot be told apart from a bad one without parsing messages.)
   */
  static StatusRuntimeException ofCreateVault(Throwable t) {
    if (t instanceof IllegalStateException) {
      return Status.ALREADY_EXISTS.withDescription(t.getMessage()).asRuntimeException();
    }
    return of(t);
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
}
