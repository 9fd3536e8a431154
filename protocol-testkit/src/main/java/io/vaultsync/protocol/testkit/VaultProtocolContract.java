package io.vaultsync.protocol.testkit;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Every behaviour the vaultsync protocol promises, as one JUnit 5 suite that each implementation
 * runs: extend it, implement {@link #start} (a fresh, empty remote reached the way a client reaches
 * it, with its hooks) and the suite runs against that implementation. It runs against the in-memory
 * reference ({@link InProcessVaultTransport}, this module's tests) and the real server over
 * loopback gRPC (server-app's tests); a behaviour change in either fails it. See
 * docs/ARCHITECTURE.md, "The contract suite".
 *
 * <p>The promises are grouped by topic, one interface each, whose default methods are the tests
 * (JUnit 5 runs a test class's inherited interface default methods): {@link AdminContract}, {@link
 * CommitContract}, {@link StaleVersionContract}, {@link MoveAndDeleteContract}, {@link
 * FolderMoveContract}, {@link MassDeleteContract}, {@link TreeShapeContract}, {@link
 * ChangesAndSubscribeContract}, {@link FetchContract}, {@link HistoryContract}, {@link
 * CompactionContract}, {@link LostContentContract}, {@link LimitsContract}, {@link ShareContract},
 * {@link ArgumentContract}. Each extends {@link ProtocolFixture}, which this class provides, so a
 * runner extends this one class and runs them all.
 *
 * <p>The tests speak only through {@link VaultTransport}, as a client does, and check what a second
 * client sees; they reach past the protocol only through the {@link Backend}'s hooks. Errors are
 * the protocol's exceptions ({@code io.vaultsync.protocol}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class VaultProtocolContract
    implements AdminContract,
        CommitContract,
        StaleVersionContract,
        MoveAndDeleteContract,
        FolderMoveContract,
        MassDeleteContract,
        TreeShapeContract,
        ChangesAndSubscribeContract,
        FetchContract,
        HistoryContract,
        CompactionContract,
        LostContentContract,
        LimitsContract,
        ShareContract,
        ArgumentContract {

  /** Starts a fresh, empty remote with {@code settings}. */
  protected abstract Backend start(Settings settings) throws IOException;

  /** {@inheritDoc} True unless overridden. */
  @Override
  public boolean keepsShareLinks() {
    return true;
  }

  private final ManualClock clock = new ManualClock(T0);

  private Backend backend;

  private VaultTransport laptop;

  private VaultTransport phone;

  @BeforeEach
  void startRemote() throws IOException {
    backend = start(new Settings(clock, DeleteLimits.DEFAULTS, SIZES));
    laptop = backend.connect(LAPTOP);
    phone = backend.connect(PHONE);
    laptop.createVault(VAULT);
  }

  @AfterEach
  void stopRemote() throws IOException {
    if (backend != null) {
      backend.close();
    }
  }

  @Override
  public final VaultTransport laptop() {
    return laptop;
  }

  @Override
  public final VaultTransport phone() {
    return phone;
  }

  @Override
  public final Backend backend() {
    return backend;
  }

  @Override
  public final void advance(Duration d) {
    clock.advance(d);
  }
}
