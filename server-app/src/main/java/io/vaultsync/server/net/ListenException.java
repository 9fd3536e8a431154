package io.vaultsync.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The server could not listen on an address: an operator's problem (a port in use, a privileged
 * port, an address this machine does not have), reported as one line that names the address, the
 * reason and what to do, never as a stack trace.
 */
public final class ListenException extends IOException {
  private final String what;
  private final String address;
  private final String option;

  /**
   * @param what what would have been served there, e.g. "gRPC" or "HTTP"
   * @param listen the address
   * @param option the option that chooses it, e.g. "--listen"
   * @param cause what the network stack said
   */
  public ListenException(String what, InetSocketAddress listen, String option, Throwable cause) {
    super(
        "cannot serve "
            + what
            + " on "
            + hostPort(listen)
            + ": "
            + reason(cause)
            + "; "
            + advice(cause, option),
        cause);
    this.what = what;
    this.address = hostPort(listen);
    this.option = option;
  }

  /** What would have been served, e.g. "gRPC". */
  public String what() {
    return what;
  }

  /** The address as {@code HOST:PORT}. */
  public String address() {
    return address;
  }

  /** The option that chooses the address. */
  public String option() {
    return option;
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The reason in the words of the system call, found anywhere in the cause chain. */
  static String reason(Throwable cause) {
    if (mentions(cause, "already in use")) {
      return "the address is already in use";
    }
    if (mentions(cause, "permission denied")) {
      return "permission denied";
    }
    if (mentions(cause, "cannot assign requested address")) {
      return "this machine has no such address";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** Whether {@code t} (or a cause) says that binding an address failed. */
  public static boolean isBindFailure(Throwable t) {
    return mentions(t, "already in use")
        || mentions(t, "permission denied")
        || mentions(t, "cannot assign requested address")
        || mentions(t, "failed to bind");
  }

  private static String advice(Throwable cause, String option) {
    if (mentions(cause, "already in use")) {
      return "is another vaultsync server (or another program) running there? Stop it, or choose"
          + " another port with "
          + option
          + " HOST:PORT";
    }
    if (mentions(cause, "permission denied")) {
      return "ports below 1024 need privileges: choose a port above 1024 with "
          + option
          + " HOST:PORT";
    }
    return "choose an address of this machine with " + option + " HOST:PORT";
  }

  private static boolean mentions(Throwable t, String words) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains(words)) {
        return true;
      }
    }
    return false;
  }
}
