package io.vaultsync.transport.grpc;

import static io.vaultsync.transport.grpc.FromStatus.describe;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * The client direction of {@link StatusMapping}'s table for a call that failed on the connection
 * rather than by the server's answer: never reached, lost mid-call, or gone silent.
 */
final class ConnectionFailures {
  private ConnectionFailures() {}

  /**
   * The exception for a client call that failed on the connection rather than by the server's
   * answer, or null when {@code e} is the server's answer (then {@link FromStatus#toException} maps
   * it):
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
  static IOException toException(
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
    if (StatusMapping.BUSY.equals(status.getDescription()) && status.getCause() == null) {
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
}
