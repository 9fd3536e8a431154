package io.vaultsync.benchmarks.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a local cluster's parts are (what cluster-lib.sh started) and how its vaultsync servers are
 * run: their fixed loopback ports (so haproxy and clients reach a restarted server again), and
 * either {@code --database} + {@code --objects} (every server shares them; each has its own {@code
 * --data} cache) or neither (the embedded default: one server, its own SQLite and disk).
 */
final class ClusterOptions {
  @Option(names = "--work", required = true, description = "Work folder (created).")
  Path work;

  @Option(
      names = "--grpc-ports",
      split = ",",
      description = "The servers' gRPC ports (--listen), one per server.")
  List<Integer> grpcPorts = List.of();

  @Option(
      names = "--http-ports",
      split = ",",
      description = "The servers' HTTP ports (--http), one per server.")
  List<Integer> httpPorts = List.of();

  @Option(names = "--lb-grpc", description = "haproxy's gRPC port (0: clients go to server 1).")
  int lbGrpc;

  @Option(
      names = "--database",
      description = "postgresql://USER@127.0.0.1:PORT/DB shared by the servers (none: embedded).")
  String database;

  @Option(names = "--objects", description = "s3://BUCKET shared by the servers.")
  String objects;

  @Option(names = "--s3-endpoint", description = "http://127.0.0.1:PORT of the S3 server.")
  String s3Endpoint;

  @Option(
      names = "--trusted-proxy",
      description = "Passed to the servers as --trusted-proxy (haproxy's address).")
  String trustedProxy;

  @Option(names = "--classpath", description = "Class path of the CLI (default: this JVM's).")
  String classpath = System.getProperty("java.class.path");

  /** A copy for {@code work} with other servers and storage (no load balancer unless given). */
  ClusterOptions with(
      Path work, String database, String objects, List<Integer> grpc, List<Integer> http, int lb) {
    ClusterOptions o = new ClusterOptions();
    o.work = work;
    o.grpcPorts = grpc;
    o.httpPorts = http;
    o.lbGrpc = lb;
    o.database = database;
    o.objects = objects;
    o.s3Endpoint = database == null ? null : s3Endpoint;
    o.trustedProxy = trustedProxy;
    o.classpath = classpath;
    return o;
  }

  /** Whether the servers share PostgreSQL and S3 (else: the embedded default, one server). */
  boolean clustered() {
    return database != null;
  }

  int servers() {
    return grpcPorts.size();
  }

  /** Server {@code i}'s (from 0) own folder: its whole data, or its cache in a cluster. */
  Path data(int i) {
    return work.resolve("server-" + (i + 1));
  }

  /** What clients connect to: haproxy, or server 1 when there is none. */
  String clientUrl() {
    return "http://127.0.0.1:" + (lbGrpc > 0 ? lbGrpc : grpcPorts.get(0));
  }

  /** The arguments of {@code vaultsync server} for server {@code i} (from 0). */
  List<String> serverArgs(int i) {
    List<String> a = new ArrayList<>();
    a.addAll(
        List.of(
            "server",
            "--data",
            data(i).toString(),
            "--listen",
            "127.0.0.1:" + grpcPorts.get(i),
            "--http",
            "127.0.0.1:" + httpPorts.get(i),
            "--snapshot-every",
            "0"));
    if (clustered()) {
      a.addAll(List.of("--database", database, "--objects", objects));
      if (s3Endpoint != null) {
        a.addAll(List.of("--s3-endpoint", s3Endpoint));
      }
    }
    if (trustedProxy != null) {
      a.addAll(List.of("--trusted-proxy", trustedProxy));
    }
    return a;
  }

  /**
   * The JDBC URL of the ledger: PostgreSQL's ({@code postgresql://USER@HOST:PORT/DB} becomes {@code
   * jdbc:postgresql://HOST:PORT/DB?user=USER}) or server 1's SQLite file.
   */
  String jdbcUrl() {
    if (!clustered()) {
      return "jdbc:sqlite:" + io.vaultsync.server.app.ServerData.database(data(0));
    }
    URI u = URI.create(database);
    String user = u.getUserInfo() == null ? "" : u.getUserInfo().split(":", 2)[0];
    return "jdbc:postgresql://"
        + u.getHost()
        + ":"
        + (u.getPort() > 0 ? u.getPort() : 5432)
        + u.getPath()
        + (user.isEmpty() ? "" : "?user=" + user);
  }

  /** A one-line description for the log. */
  String describe() {
    return servers()
        + (clustered()
            ? " servers on " + database + " and " + objects
            : " embedded server (SQLite and local disk)")
        + (lbGrpc > 0 ? ", clients through haproxy on 127.0.0.1:" + lbGrpc : "");
  }
}
