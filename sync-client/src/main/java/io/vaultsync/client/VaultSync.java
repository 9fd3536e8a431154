package io.vaultsync.client;

import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.SyncPreview;
import io.vaultsync.client.sync.SyncProgress;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.sync.Syncer;
import io.vaultsync.client.sync.VaultSetup;
import io.vaultsync.client.watch.WatchOptions;
import io.vaultsync.client.watch.WatchSession;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Client sync for an app that embeds it: the one class such an app needs to start with. It sets a
 * folder up ({@link #init}, {@link #cloneInto}), syncs it ({@link #sync}), tells what a sync would
 * do ({@link #preview}) and keeps it in sync while it runs ({@link #watch}). Every call reads the
 * folder's server, vault and token from the folder's state ({@code .vaultsync/}), connects through
 * the app's {@link RemoteConnector} and closes the connection before it returns.
 *
 * <pre>{@code
 * VaultSync sync = VaultSync.builder(new GrpcConnector()).build(); // or RemoteConnector.sharing(t)
 * sync.cloneInto(folder, new RemoteVault(URI.create("https://notes.example:7420"), "notes",
 *     "laptop", token));
 * SyncReport report = sync.sync(folder); // later, as often as the app likes
 * }</pre>
 *
 * <p>Immutable and safe to share between threads; two syncs of one folder at once are serialized by
 * the folder's lock (the second waits or fails with a message naming the folder).
 */
public final class VaultSync {
  private final RemoteConnector connector;
  private final Clock clock;
  private final SyncProgress progress;

  private VaultSync(Builder b) {
    this.connector = b.connector;
    this.clock = b.clock;
    this.progress = b.progress;
  }

  /** A builder for syncs that reach their servers through {@code connector}. */
  public static Builder builder(RemoteConnector connector) {
    return new Builder(connector);
  }

  /**
   * Creates vault {@code remote.vault()} on its server and uploads {@code folder} (an existing
   * folder, not set up for sync yet) into it.
   */
  public SyncReport init(Path folder, RemoteVault remote) throws IOException {
    Objects.requireNonNull(folder, "folder");
    try (VaultTransport t = connector.connect(remote.server(), remote.token())) {
      return VaultSetup.init(folder, remote.config(), remote.token(), t, clock, progress);
    }
  }

  /**
   * Downloads vault {@code remote.vault()} into {@code folder}, which must be absent or empty, or
   * hold an interrupted clone of the same vault (which this then finishes).
   */
  public SyncReport cloneInto(Path folder, RemoteVault remote) throws IOException {
    Objects.requireNonNull(folder, "folder");
    try (VaultTransport t = connector.connect(remote.server(), remote.token())) {
      return VaultSetup.cloneInto(folder, remote.config(), remote.token(), t, clock, progress);
    }
  }

  /** Syncs {@code folder} with its vault both ways; mass deletes are held back and reported. */
  public SyncReport sync(Path folder) throws IOException {
    return sync(folder, SyncOptions.DEFAULTS);
  }

  /** Syncs {@code folder} with its vault both ways, with {@code options}. */
  public SyncReport sync(Path folder, SyncOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    StateFolder state = StateFolder.of(folder);
    try (VaultTransport t = connect(state)) {
      return new Syncer(t, clock, progress).sync(folder, options);
    }
  }

  /** What a sync of {@code folder} with {@code options} would do now; changes nothing. */
  public SyncPreview preview(Path folder, SyncOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    try (VaultTransport t = connect(StateFolder.of(folder))) {
      return new Syncer(t, clock).preview(folder, options);
    }
  }

  /**
   * A session that keeps {@code folder} in sync until it is stopped: the caller runs {@link
   * WatchSession#run()} on a thread of its own and ends it with {@link WatchSession#stop()}. It
   * reconnects through this builder's connector after a lost connection; {@code reporter} hears
   * every cycle that changed something and every problem it retries.
   */
  public WatchSession watch(Path folder, WatchOptions options, WatchSession.Reporter reporter) {
    return new WatchSession(folder, connector, clock, options, reporter, System.nanoTime());
  }

  private VaultTransport connect(StateFolder state) throws IOException {
    VaultConfig config = state.config();
    return connector.connect(config.server(), state.token());
  }

  /** How an embedding app's syncs run; every setting but the connector has a default. */
  public static final class Builder {
    private final RemoteConnector connector;
    private Clock clock = Clock.systemDefaultZone();
    private SyncProgress progress = SyncProgress.NONE;

    private Builder(RemoteConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector");
    }

    /** The clock that names conflict copies (its time and zone); default the system's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Hears how far each init, clone and sync has got; default {@link SyncProgress#NONE}. */
    public Builder progress(SyncProgress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public VaultSync build() {
      return new VaultSync(this);
    }
  }
}
