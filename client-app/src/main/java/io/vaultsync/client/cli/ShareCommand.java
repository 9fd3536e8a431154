package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.TransportException;
import io.vaultsync.protocol.VaultTransport;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vaultsync share create|list|revoke}: private, read-only links to a file or folder of the
 * folder's vault, made and kept by its server (which must serve HTTP, {@code --http}).
 */
@Command(
    name = "share",
    description = "Make, list and revoke private share links to a file or folder.",
    subcommands = {
      ShareCommand.Create.class,
      ShareCommand.ListShares.class,
      ShareCommand.Revoke.class
    })
final class ShareCommand implements Callable<Integer> {
  @ParentCommand VaultsyncCommand root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return VaultsyncCommand.EXIT_USAGE;
  }

  /**
   * The vault folder (DIR) and the error handling shared by the subcommands (as {@link
   * VaultCommand}'s).
   */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand ShareCommand share;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The vault folder.")
    Path dir;

    @Override
    public final Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try {
        return run(spec.commandLine().getOut());
      } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
        String prefix = e instanceof TransportException ? "server: " : "";
        err.println("vaultsync: share " + spec.name() + ": " + prefix + ErrorMessages.describe(e));
        err.flush();
        return VaultsyncCommand.EXIT_BAD_INPUT;
      }
    }

    abstract int run(PrintWriter out) throws IOException;

    VaultTransport connect(StateFolder state) throws IOException {
      return share.root.connector().connect(state.config().server(), state.token());
    }
  }

  @Command(
      name = "create",
      description = "Make a link to PATH (a file or folder of the vault) and print its URL.")
  static final class Create extends Sub {
    @Parameters(
        index = "1",
        paramLabel = "PATH",
        description = "File or folder inside the vault, e.g. Daily/2026-11-26.md or Projects.")
    String path;

    @Option(
        names = "--expires",
        paramLabel = "WHEN",
        description =
            "When the link stops working: a duration from now (30m, 12h, 7d, 4w) or an ISO-8601"
                + " time (2026-12-24T18:00:00Z). Default: never.")
    String expires;

    @ArgGroup(exclusive = true)
    PasswordSource password;

    static final class PasswordSource {
      @Option(
          names = "--password",
          description = "Ask for a password on the console (not echoed); openers must type it.")
      boolean prompt;

      @Option(
          names = "--password-stdin",
          description = "Read the password from the first line of standard input (for scripts).")
      boolean stdin;
    }

    @Override
    int run(PrintWriter out) throws IOException {
      StateFolder state = StateFolder.of(dir);
      NotePath notePath = NotePath.of(stripSlash(path));
      Instant until = expires == null ? null : parseExpiry(expires, share.root.clock().instant());
      char[] secret = readPassword();
      try (VaultTransport t = connect(state)) {
        CreatedShare c =
            t.createShare(state.config().vault(), notePath, until, secret, state.config().device());
        out.println(c.url());
        out.flush();
        return VaultsyncCommand.EXIT_OK;
      } finally {
        if (secret != null) {
          Arrays.fill(secret, '\0');
        }
      }
    }

    private char[] readPassword() throws IOException {
      if (password == null) {
        return null;
      }
      char[] pw;
      if (password.stdin) {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(share.root.stdin(), StandardCharsets.UTF_8));
        String line = in.readLine();
        pw = line == null ? new char[0] : line.toCharArray();
      } else {
        Console console = System.console();
        if (console == null) {
          throw new IllegalArgumentException(
              "--password needs a console to ask on; use --password-stdin in scripts");
        }
        pw = console.readPassword("Password for the link: ");
        char[] again = console.readPassword("Same password again: ");
        if (pw == null || again == null || !Arrays.equals(pw, again)) {
          throw new IllegalArgumentException("the two passwords differ; nothing was shared");
        }
        Arrays.fill(again, '\0');
      }
      if (pw.length == 0) {
        throw new IllegalArgumentException("empty password; nothing was shared");
      }
      return pw;
    }
  }

  @Command(name = "list", description = "List the vault's share links (never their URLs).")
  static final class ListShares extends Sub {
    @Option(names = "--json", description = "One JSON object per link and line.")
    boolean json;

    @Override
    int run(PrintWriter out) throws IOException {
      StateFolder state = StateFolder.of(dir);
      try (VaultTransport t = connect(state)) {
        Instant now = share.root.clock().instant();
        for (ShareInfo s : t.listShares(state.config().vault())) {
          String status =
              s.revoked()
                  ? "revoked"
                  : s.expires() != null && !now.isBefore(s.expires()) ? "expired" : "active";
          if (json) {
            out.println(
                new StatsLine("share")
                    .put("id", s.id())
                    .put("path", s.path().value())
                    .put("kind", s.folder() ? "folder" : "file")
                    .put("status", status)
                    .put("created", s.created().toString())
                    .put("createdBy", s.createdBy())
                    .put("expires", s.expires() == null ? "" : s.expires().toString())
                    .put("password", s.passwordProtected()));
          } else {
            out.println(
                s.id()
                    + "\t"
                    + status
                    + "\t"
                    + (s.folder() ? "folder" : "file")
                    + "\t"
                    + s.path().value()
                    + "\tby "
                    + s.createdBy()
                    + "\t"
                    + (s.expires() == null ? "no expiry" : "expires " + s.expires())
                    + (s.passwordProtected() ? "\tpassword" : ""));
          }
        }
        out.flush();
        return VaultsyncCommand.EXIT_OK;
      }
    }
  }

  @Command(name = "revoke", description = "Revoke a share link by its ID (from share list).")
  static final class Revoke extends Sub {
    @Parameters(index = "1", paramLabel = "ID", description = "The link's id.")
    String id;

    @Override
    int run(PrintWriter out) throws IOException {
      StateFolder state = StateFolder.of(dir);
      try (VaultTransport t = connect(state)) {
        t.revokeShare(state.config().vault(), id);
        out.println("revoked " + id);
        out.flush();
        return VaultsyncCommand.EXIT_OK;
      }
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([mhdw])");

  /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 4w} from {@code now}, or an ISO-8601 time. */
  static Instant parseExpiry(String text, Instant now) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = DurationUnits.of(n, m.group(2));
      if (d.isZero()) {
        throw new IllegalArgumentException("--expires " + text + ": a link must live a while");
      }
      return now.plus(d);
    }
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--expires \""
              + text
              + "\"; expected a duration such as 30m, 12h, 7d, 4w or a time such as"
              + " 2026-12-24T18:00:00Z");
    }
  }

  private static String stripSlash(String p) {
    return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
  }
}
