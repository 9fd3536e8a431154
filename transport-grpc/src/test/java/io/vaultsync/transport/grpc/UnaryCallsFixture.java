package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.protocol.testkit.SizeLimits;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service of issue 15's unary calls (WaitChanges, GetManifestPage, FetchPage, UploadPart) on
 * gRPC's in-process transport over an {@link InProcessVaultTransport}, with upload staging in a
 * temporary folder on a {@link ManualClock}; calls go through a blocking stub as a raw client would
 * send them.
 */
abstract class UnaryCallsFixture {
  static final String TOKEN = "token-of-phone-0123456789";
  static final String DEVICE = "phone";
  static final String VAULT = "notes";

  /** The largest file the backend (and so the staging) takes: 16 MiB. */
  static final long MAX_FILE_BYTES = 16L << 20;

  final InProcessVaultTransport store =
      new InProcessVaultTransport(
          Clock.tickMillis(ZoneOffset.UTC),
          DeleteLimits.NONE,
          new SizeLimits(MAX_FILE_BYTES, Long.MAX_VALUE));

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-08T00:00:00Z"));

  @TempDir Path staging;

  ExecutorService workers;
  Server server;
  ManagedChannel channel;
  VaultSyncGrpc.VaultSyncBlockingStub stub;
  VaultSyncGrpc.VaultSyncStub async;

  /** The backend the service serves; {@link #store} unless a test wraps it. */
  VaultTransport backend() {
    return store;
  }

  /** How many workers the service runs backend calls on. */
  int workerThreads() {
    return 4;
  }

  @BeforeEach
  void startService() throws IOException {
    store.createVault(VAULT);
    workers = Executors.newFixedThreadPool(workerThreads());
    String name = InProcessServerBuilder.generateName();
    server =
        VaultSyncServices.configure(InProcessServerBuilder.forName(name))
            .addService(
                VaultSyncServices.definition(
                    backend(),
                    token -> TOKEN.equals(token) ? Optional.of(DEVICE) : Optional.empty(),
                    workers,
                    VaultSyncServices.DEFAULT_PUSH_IDLE_TIMEOUT,
                    null,
                    new UploadSettings(staging, MAX_FILE_BYTES, clock)))
            .build()
            .start();
    channel =
        InProcessChannelBuilder.forName(name)
            .maxInboundMessageSize(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE)
            .build();
    var credentials = new BearerTokenCredentials(TOKEN);
    stub = VaultSyncGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    async = VaultSyncGrpc.newStub(channel).withCallCredentials(credentials);
  }

  @AfterEach
  void stopService() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    workers.shutdownNow();
    store.close();
  }

  /** Writes {@code content} at {@code path} (a new file, or over {@code base}) in the backend. */
  RemoteEntry put(String path, ContentHash base, byte[] content) throws IOException {
    byte[] basis = base == null ? new byte[0] : store.content(VAULT, base);
    return store.push(
        VAULT,
        NotePath.of(path),
        base,
        new ByteArrayInputStream(TestDeltas.delta(basis, content)),
        DEVICE);
  }

  RemoteEntry put(String path, byte[] content) throws IOException {
    return put(path, null, content);
  }

  /** The status {@code call} failed with, checked to be {@code code}. */
  static StatusRuntimeException refused(Status.Code code, ThrowingCallable call) {
    StatusRuntimeException[] caught = new StatusRuntimeException[1];
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              caught[0] = e;
              org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode())
                  .as("status of %s", e.getStatus())
                  .isEqualTo(code);
            });
    return caught[0];
  }

  /** The description of the status {@code call} failed with, checked to be {@code code}. */
  static String why(Status.Code code, ThrowingCallable call) {
    return refused(code, call).getStatus().getDescription();
  }

  /** Hooks one method of a {@link VaultTransport}; the others go to {@code target}. */
  @FunctionalInterface
  interface Hook {
    /** What {@code method} returns; {@link #PASS} to call the target. */
    Object call(String method, Object[] args) throws Exception;

    Object PASS = new Object();
  }

  /** {@code target} with {@code hook} in front of every call. */
  static VaultTransport hooked(VaultTransport target, Hook hook) {
    InvocationHandler h =
        (proxy, method, args) -> {
          Object r = hook.call(method.getName(), args);
          if (r != Hook.PASS) {
            return r;
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (VaultTransport)
        Proxy.newProxyInstance(
            VaultTransport.class.getClassLoader(), new Class<?>[] {VaultTransport.class}, h);
  }
}
