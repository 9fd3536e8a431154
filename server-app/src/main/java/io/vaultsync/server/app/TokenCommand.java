package io.vaultsync.server.app;

import io.vaultsync.server.auth.TokenInfo;
import io.vaultsync.server.auth.TokenStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaultsync server token create|list|revoke}: device tokens. */
@Command(
    name = "token",
    description = "Manage device tokens (every call to the server needs one).",
    mixinStandardHelpOptions = true,
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
public final class TokenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** A token subcommand: opens the data folder's token table (safe while a server runs). */
  abstract static class TokenWork extends DataCommand {
    @Option(
        names = "--database",
        paramLabel = "URL",
        description =
            "The PostgreSQL database of a server of several processes"
                + " (postgresql://USER@HOST:PORT/DATABASE), instead of --data.")
    String database;

    @Override
    boolean onSharedDatabase() {
      return database != null;
    }

    @Override
    final int run(PrintWriter out) throws IOException {
      if (database != null && data != null) {
        throw new IllegalArgumentException("give --data or --database, not both");
      }
      if (database != null) {
        try (io.vaultsync.server.cluster.ClusterDatabase db =
            SharedStorage.database(database, "token-command")) {
          return run(
              new io.vaultsync.server.auth.SqlTokenStore(db.database(), Clock.systemUTC()), out);
        }
      }
      try (ServerData.TokenDatabase db = ServerData.openTokens(data, Clock.systemUTC())) {
        return run(db.tokens(), out);
      }
    }

    /** The subcommand's work on {@code tokens}; returns the exit code. */
    abstract int run(TokenStore tokens, PrintWriter out) throws IOException;
  }

  /** Prints a new token for a device; it is stored only as a hash. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token for a device and print it (shown only this once).")
  static final class Create extends TokenWork {
    @Option(names = "--name", required = true, description = "Device name, e.g. laptop.")
    String name;

    @Override
    int run(TokenStore tokens, PrintWriter out) throws IOException {
      out.println(tokens.create(name));
      return 0;
    }
  }

  /** Lists devices with tokens. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List devices.")
  static final class ListTokens extends TokenWork {
    @Override
    int run(TokenStore tokens, PrintWriter out) throws IOException {
      for (TokenInfo t : tokens.list()) {
        out.println(t.device() + "\t" + t.created());
      }
      return 0;
    }
  }

  /** Revokes a device's token. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token.")
  static final class Revoke extends TokenWork {
    @Option(names = "--name", required = true, description = "Device name.")
    String name;

    @Override
    int run(TokenStore tokens, PrintWriter out) throws IOException {
      if (tokens.revoke(name)) {
        out.println("revoked " + name);
        return 0;
      }
      spec.commandLine().getErr().println("no token for device \"" + name + "\"");
      spec.commandLine().getErr().flush();
      return 1;
    }
  }
}
