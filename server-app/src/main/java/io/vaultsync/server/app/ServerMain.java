package io.vaultsync.server.app;

import picocli.CommandLine;

/** Entry point: {@code vaultsync server ...}. */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) {
    int code = new CommandLine(new ServerCommand()).execute(args);
    System.exit(code);
  }
}
