package io.vaultsync.server.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL for tests, from the machine's own binaries (Debian's {@code postgresql}
 * package: {@code pg_config --bindir} or {@code /usr/lib/postgresql/N/bin}): one server per test
 * JVM, started on first use in a fresh temporary folder, listening on 127.0.0.1 on a free port,
 * stopped ({@code pg_ctl -m immediate stop}) and deleted when the JVM exits. Each call of {@link
 * #newDatabase} creates a database with a random name, so each test class starts empty.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root, the folder is given to {@code
 * nobody} and the server runs as that user ({@code runuser}, else {@code setpriv}).
 *
 * <p>Without the binaries a test is skipped, or fails when {@code CI=true} (CI must run it: {@code
 * .ci/run} installs the package).
 *
 * <pre>{@code
 * @BeforeAll static void database() { url = PostgresFixture.newDatabase(); }
 * }</pre>
 */
public final class PostgresFixture {
  /** The database superuser the fixture creates (trust authentication on loopback only). */
  public static final String USER = "postgres";

  private static final String INSTALL_HINT =
      "PostgreSQL's server binaries (initdb, pg_ctl) were not found; install them with"
          + " `apt-get install postgresql`";

  /** Who runs the server when the tests run as root. */
  private static final String UNPRIVILEGED = "nobody";

  private static Server server;
  private static String unavailable;

  private PostgresFixture() {}

  /**
   * A new, empty database on the fixture's server (started on first use), as a {@link PostgresUrl}
   * ({@code postgresql://postgres@127.0.0.1:PORT/NAME}, no password). Skips the calling test when
   * PostgreSQL is not installed, unless {@code CI=true}, where that fails it.
   */
  public static PostgresUrl newDatabase() {
    Server s = server();
    String name = "vs_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c = s.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + ": " + e, e);
    }
    return s.url(name);
  }

  /**
   * Kills the server as a crash would ({@code pg_ctl -m immediate stop}: no checkpoint, every
   * connection cut), for fault tests; {@link #restart} brings it back on the same port with the
   * same data (PostgreSQL replays its WAL). Test classes in one JVM share the server, so a class
   * that crashes it restarts it before it ends.
   */
  public static void crash() throws IOException {
    server().stop();
  }

  /** Starts the server again after {@link #crash}, on the same port. */
  public static void restart() throws IOException {
    Server s = server();
    if (!s.tryStart()) {
      throw new IOException("port " + s.port + " was taken while the test PostgreSQL was down");
    }
  }

  /**
   * The fixture's server, started on first use; skips or fails the test as {@link #newDatabase}.
   */
  static synchronized Server server() {
    if (server == null && unavailable == null) {
      try {
        server = Server.start();
      } catch (Unavailable e) {
        unavailable = e.getMessage();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage(), e);
      }
    }
    if (server == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(unavailable + " (CI=true: not skipping)");
      }
      Assumptions.abort(unavailable + "; skipping");
    }
    return server;
  }

  /** PostgreSQL is not installed here. */
  private static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /** A running throwaway server. */
  static final class Server {
    private final Path bin;
    private final Path folder;
    private final Path data;
    private final int port;
    private final List<String> asUser;

    private Server(Path bin, Path folder, int port, List<String> asUser) {
      this.bin = bin;
      this.folder = folder;
      this.data = folder.resolve("data");
      this.port = port;
      this.asUser = asUser;
    }

    int port() {
      return port;
    }

    PostgresUrl url(String database) {
      return new PostgresUrl(USER, null, "127.0.0.1", port, database, java.util.Map.of());
    }

    Connection connect(String database) throws SQLException {
      Properties p = new Properties();
      p.setProperty("user", USER);
      return DriverManager.getConnection(url(database).jdbcUrl(), p);
    }

    static Server start() throws IOException, Unavailable {
      Path bin = findBinaries();
      List<String> asUser = runAsUser();
      Path folder = Files.createTempDirectory("vaultsync-pg-");
      try {
        if (!asUser.isEmpty()) {
          UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
          Files.setOwner(folder, users.lookupPrincipalByName(UNPRIVILEGED));
        }
        Server s = null;
        for (int attempt = 1; s == null; attempt++) {
          Server candidate = new Server(bin, folder, freePort(), asUser);
          if (attempt == 1) {
            candidate.initdb();
          }
          if (candidate.tryStart()) {
            s = candidate;
          } else if (attempt >= 5) {
            throw new IOException(
                "pg_ctl start failed 5 times; last log: " + candidate.log().strip());
          }
        }
        Server started = s;
        Runtime.getRuntime()
            .addShutdownHook(new Thread(started::stopAndDelete, "postgres-fixture-stop"));
        return started;
      } catch (IOException | RuntimeException e) {
        deleteTree(folder);
        throw e;
      }
    }

    private void initdb() throws IOException {
      run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              USER,
              "--auth=trust",
              "--encoding=UTF8",
              "--locale=C",
              "--no-instructions"),
          "initdb");
    }

    /** Starts the server; false if its port was taken meanwhile (the caller tries another). */
    private boolean tryStart() throws IOException {
      Files.deleteIfExists(folder.resolve("log"));
      String options =
          "-p "
              + port
              + " -k "
              + folder
              + " -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300"
              + " -c shared_buffers=32MB";
      List<String> cmd =
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-l",
              folder.resolve("log").toString(),
              "-o",
              options,
              "-w",
              "-t",
              "60",
              "start");
      try {
        run(cmd, "pg_ctl start");
        return true;
      } catch (IOException e) {
        String log = log();
        if (log.contains("could not bind") || log.contains("already in use")) {
          return false;
        }
        throw new IOException(e.getMessage() + "; log: " + log.strip(), e);
      }
    }

    private String log() {
      try {
        return Files.readString(folder.resolve("log"), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    void stop() throws IOException {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"),
          "pg_ctl stop");
    }

    void stopAndDelete() {
      try {
        stop();
      } catch (IOException e) {
        System.err.println("test PostgreSQL: " + e.getMessage());
      }
      deleteTree(folder);
    }

    private void run(List<String> command, String what) throws IOException {
      List<String> cmd = new ArrayList<>(asUser);
      cmd.addAll(command);
      Path out = Files.createTempFile("vaultsync-pg-cmd", ".txt");
      try {
        Process p =
            new ProcessBuilder(cmd)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(what + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
          throw new IOException(
              what
                  + " failed (exit "
                  + p.exitValue()
                  + "): "
                  + Files.readString(out, StandardCharsets.UTF_8).strip());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(what + " interrupted", e);
      } finally {
        Files.deleteIfExists(out);
      }
    }

    /** The folder of initdb and pg_ctl. */
    private static Path findBinaries() throws Unavailable {
      List<Path> candidates = new ArrayList<>();
      String env = System.getenv("PG_BINDIR");
      if (env != null && !env.isBlank()) {
        candidates.add(Path.of(env));
      }
      String bindir = pgConfigBindir();
      if (bindir != null) {
        candidates.add(Path.of(bindir));
      }
      Path debian = Path.of("/usr/lib/postgresql");
      if (Files.isDirectory(debian)) {
        try (Stream<Path> versions = Files.list(debian)) {
          versions
              .sorted(Comparator.comparing(PostgresFixture::versionOf).reversed())
              .forEach(v -> candidates.add(v.resolve("bin")));
        } catch (IOException e) {
          // fall through to PATH
        }
      }
      String path = System.getenv("PATH");
      if (path != null) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
          if (!dir.isEmpty()) {
            candidates.add(Path.of(dir));
          }
        }
      }
      for (Path dir : candidates) {
        if (Files.isExecutable(dir.resolve("initdb"))
            && Files.isExecutable(dir.resolve("pg_ctl"))
            && Files.isExecutable(dir.resolve("postgres"))) {
          return dir;
        }
      }
      throw new Unavailable(INSTALL_HINT);
    }

    private static String pgConfigBindir() {
      try {
        Process p =
            new ProcessBuilder("pg_config", "--bindir")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    /** The command prefix that runs a program as an unprivileged user when we are root. */
    private static List<String> runAsUser() throws Unavailable {
      if (!"root".equals(System.getProperty("user.name"))) {
        return List.of();
      }
      if (Files.isExecutable(Path.of("/usr/sbin/runuser"))
          || Files.isExecutable(Path.of("/sbin/runuser"))) {
        return List.of("runuser", "-u", UNPRIVILEGED, "--");
      }
      if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
        return List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=nogroup", "--clear-groups");
      }
      throw new Unavailable(
          "running as root and neither runuser nor setpriv is here to start PostgreSQL as nobody");
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString().toLowerCase(Locale.ROOT));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temporary folder
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
