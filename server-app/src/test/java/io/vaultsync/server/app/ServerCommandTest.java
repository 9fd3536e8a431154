package io.vaultsync.server.app;

import static io.vaultsync.server.app.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {
  @TempDir Path dir;

  @Test
  void tokenCreatePrintsATokenThatListAndRevokeManage() throws Exception {
    CommandRun created = run("token", "create", "--data", dir.toString(), "--name", "laptop");
    assertThat(created.code()).isZero();
    String token = created.out().trim();
    assertThat(token).hasSize(43);

    CommandRun listed = run("token", "list", "--data", dir.toString());
    assertThat(listed.out()).startsWith("laptop\t").doesNotContain(token);

    try (ServerData.TokenDatabase db = ServerData.openTokens(dir, java.time.Clock.systemUTC())) {
      assertThat(db.tokens().deviceFor(token)).contains("laptop");
    }
    String[] revoke = {"token", "revoke", "--data", dir.toString(), "--name", "laptop"};
    assertThat(run(revoke).code()).isZero();
    assertThat(run(revoke).code()).as("revoked already").isEqualTo(1);
  }

  @Test
  void badMassDeleteLimitsAreRefusedNamingTheValue() {
    CommandRun r = run("--data", dir.toString(), "--max-delete-percent", "101");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("101%", "expected 0..100");
    CommandRun floor = run("--data", dir.toString(), "--delete-percent-floor", "0");
    assertThat(floor.code()).isEqualTo(2);
    assertThat(floor.err()).contains("floor of 0 deletes");
  }

  @Test
  void badStorageLimitsAreRefusedNamingTheValue() {
    CommandRun size = run("--data", dir.toString(), "--max-file-size", "12pc");
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err()).contains("size \"12pc\"", "200M").doesNotContain("Exception");
    CommandRun none = run("--data", dir.toString(), "--max-file-size", "none");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("--max-file-size none");
    CommandRun quota = run("--data", dir.toString(), "--vault-quota", "0");
    assertThat(quota.code()).isEqualTo(2);
    assertThat(quota.err()).contains("size \"0\"");
  }

  @Test
  void sizesReadAsPeopleWriteThem() {
    assertThat(SizeText.parse("1048576")).isEqualTo(1L << 20);
    assertThat(SizeText.parse("200M")).isEqualTo(200L << 20);
    assertThat(SizeText.parse("4G")).isEqualTo(4L << 30);
    assertThat(SizeText.parse("4gib")).isEqualTo(4L << 30);
    assertThat(SizeText.parse("512 KB")).isEqualTo(512L << 10);
    assertThat(SizeText.parse("1T")).isEqualTo(1L << 40);
    assertThat(SizeText.parse("none")).isEqualTo(SizeText.NONE);
    for (String bad : new String[] {"", "-1", "0", "1.5G", "G", "99999999999T", "4X"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> SizeText.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("size \"" + bad + "\"");
    }
    assertThat(io.vaultsync.protocol.ByteSizes.describe(2L << 20))
        .isEqualTo("2.0 MiB (2,097,152 bytes)");
  }

  @Test
  void plaintextOnANonLoopbackAddressIsRefusedWithTheReason() {
    CommandRun r = run("--data", dir.toString(), "--listen", "0.0.0.0:7420");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("0.0.0.0").contains("not a loopback").contains("--insecure");
  }

  @Test
  void serverServesGrpcOnLoopbackToATokenAndRefusesABadOne() throws Exception {
    String token =
        run("token", "create", "--data", dir.toString(), "--name", "laptop").out().trim();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    ServerCommand command = new ServerCommand(null, stop, running -> port.complete(running.port()));
    CompletableFuture<CommandRun> result =
        CompletableFuture.supplyAsync(
            () -> run(command, "--data", dir.toString(), "--listen", "127.0.0.1:0"));
    String target = "127.0.0.1:" + port.get(20, TimeUnit.SECONDS);
    try (GrpcVaultTransport client =
        GrpcVaultTransport.connect(
            target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS)) {
      client.createVault("notes");
      assertThat(client.listVaults()).extracting(v -> v.name()).containsExactly("notes");
    }
    try (GrpcVaultTransport intruder =
        GrpcVaultTransport.connect(
            target,
            "not-a-token",
            ChannelSecurity.loopbackPlaintext(),
            GrpcClientOptions.DEFAULTS)) {
      assertThatThrownBy(intruder::listVaults).isInstanceOf(AuthenticationException.class);
    }
    stop.complete(null);
    assertThat(result.get(20, TimeUnit.SECONDS).code()).isZero();
    assertThat(dir.resolve("vaults/notes")).isDirectory();
  }

  @Test
  void serverHandsTheEndpointTheBackendTokensAndLoopbackAddressThenStops() throws Exception {
    AtomicReference<InetSocketAddress> bound = new AtomicReference<>();
    AtomicReference<VaultTransport> backend = new AtomicReference<>();
    AtomicReference<TokenStore> tokens = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    RpcEndpoint fake =
        (listen, b, t, tls) -> {
          bound.set(listen);
          backend.set(b);
          tokens.set(t);
          return new RpcEndpoint.Running() {
            @Override
            public int port() {
              return 54321;
            }

            @Override
            public void close() {
              closed.countDown();
            }
          };
        };
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    ServerCommand command =
        new ServerCommand(
            fake,
            stop,
            running -> {
              try {
                running.data().vaults().createVault("notes");
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              started.countDown();
            });
    CompletableFuture<CommandRun> result =
        CompletableFuture.supplyAsync(
            () -> run(command, "--data", dir.toString(), "--listen", "127.0.0.1:0"));

    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(bound.get().getAddress().isLoopbackAddress()).isTrue();
    assertThat(backend.get().listVaults()).extracting(v -> v.name()).containsExactly("notes");
    assertThat(tokens.get()).isNotNull();
    stop.complete(null);
    assertThat(result.get(20, TimeUnit.SECONDS).code()).isZero();
    assertThat(closed.await(1, TimeUnit.SECONDS)).isTrue();
    assertThat(dir.resolve("vaults/notes")).isDirectory();
  }

  /** Issue 12, item 12: a busy port was a 35-line stack trace and exit 3 ("a bug"). */
  @Test
  void aBusyGrpcPortIsOneLineNamingTheAddressAndExitTwo() throws Exception {
    assertABusyPortIsOneLine("gRPC", "--listen", "--data", dir.toString(), "--listen");
  }

  @Test
  void aBusyHttpPortIsOneLineNamingTheAddressAndExitTwo() throws Exception {
    assertABusyPortIsOneLine(
        "HTTP", "--http", "--data", dir.toString(), "--listen", "127.0.0.1:0", "--http");
  }

  /**
   * Runs the server with {@code args} and then a loopback address another socket holds: one line on
   * standard error naming what could not be served ({@code what}), the address, its {@code option}
   * and no stack trace; exit 2.
   */
  private static void assertABusyPortIsOneLine(String what, String option, String... args)
      throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      String[] withAddress = java.util.Arrays.copyOf(args, args.length + 1);
      withAddress[args.length] = address;
      CommandRun r = run(withAddress);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().strip().lines()).hasSize(1);
      assertThat(r.err())
          .startsWith("vaultsync server: cannot serve " + what + " on " + address)
          .contains("already in use", option + " HOST:PORT")
          .doesNotContain("Exception", "\tat ");
    }
  }

  /** A second server on the same data folder was a stack trace and exit 3 ("a bug"). */
  @Test
  void aSecondServerOnTheSameDataFolderIsOneLineAndExitTwo() throws Exception {
    try (ServerData first = ServerData.open(dir, java.time.Clock.systemUTC())) {
      CommandRun r = run("--data", dir.toString(), "--listen", "127.0.0.1:0");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().strip().lines()).hasSize(1);
      assertThat(r.err())
          .isEqualToIgnoringNewLines(
              "vaultsync server: another vaultsync server is using " + dir + ": stop it first")
          .doesNotContain("Exception", "\tat ");
    }
  }

  @Test
  void aDataFolderThatIsAFileIsOneLineAndExitTwo() throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("not-a-folder"), "x");
    CommandRun r = run("--data", file.toString(), "--listen", "127.0.0.1:0");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("not-a-folder").doesNotContain("\tat ");
  }
}
