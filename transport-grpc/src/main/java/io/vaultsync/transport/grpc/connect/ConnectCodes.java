package io.vaultsync.transport.grpc.connect;

import io.grpc.Status;
import java.util.Locale;

/**
 * The Connect protocol's error codes (https://connectrpc.com/docs/protocol#error-codes): each gRPC
 * status code's lower-case name and the HTTP status a unary error answers with, one table for the
 * bridge (writing) and the client (reading).
 */
public final class ConnectCodes {
  private ConnectCodes() {}

  /** The Connect name of {@code code}: {@code NOT_FOUND} is {@code "not_found"}. */
  public static String name(Status.Code code) {
    return code == Status.Code.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The code named {@code name} ({@code "not_found"}), or null for a name Connect does not have.
   */
  public static Status.Code fromName(String name) {
    if (name == null || name.equals("ok") || !name.equals(name.toLowerCase(Locale.ROOT))) {
      return null;
    }
    if (name.equals("canceled")) {
      return Status.Code.CANCELLED;
    }
    try {
      return Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The HTTP status of a unary error with {@code code}, as the Connect protocol maps it. */
  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNAUTHENTICATED -> 401;
      default -> 500; // UNKNOWN, INTERNAL, DATA_LOSS (OK never answers as an error)
    };
  }

  /**
   * The code of an error response without a Connect error body (a proxy's page, a server that is
   * not vaultsync's), from its HTTP status, as the Connect protocol says a client infers it.
   */
  public static Status.Code fromHttpStatus(int status) {
    return switch (status) {
      case 400 -> Status.Code.INTERNAL;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404 -> Status.Code.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> Status.Code.UNAVAILABLE;
      default -> Status.Code.UNKNOWN;
    };
  }
}
