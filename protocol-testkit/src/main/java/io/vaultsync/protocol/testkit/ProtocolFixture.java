package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.applied;
import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every topic suite of the contract works with: two client connections to one fresh remote
 * with a vault {@value #VAULT}, the remote's clock, and the hooks through which the suite makes the
 * remote do what no protocol call does (lose content, compact its ledger). {@link
 * VaultProtocolContract} provides it; an implementation provides a {@link Backend}.
 */
public interface ProtocolFixture {
  /** The vault every test works in (created before each test). */
  String VAULT = "notes";

  /** The device of most writes. */
  String LAPTOP = "laptop";

  /** A second device. */
  String PHONE = "phone";

  /** When the remote's clock starts. */
  Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  /**
   * The remote's largest file (64 KiB) and each vault's quota (200 KiB): small, so that {@link
   * LimitsContract} reaches them with a few files; every other test stays far below.
   */
  SizeLimits SIZES = new SizeLimits(64 << 10, 200 << 10);

  /** A remote under test: fresh and empty when {@link VaultProtocolContract#start} returns it. */
  interface Backend extends AutoCloseable {
    /**
     * A connection as {@code device}: a remote that authenticates records this device for the
     * connection's writes (the suite passes the same name to each call). May be the same object for
     * every device when the remote takes the device from the call.
     */
    VaultTransport connect(String device) throws IOException;

    /**
     * Makes the remote lose the content {@code hash} of {@code vault}, as a store that lost or
     * found damaged the only copy would: fetching it is NOT_FOUND, and change pages ask devices to
     * give it back ({@link io.vaultsync.protocol.ChangePage#wanted}) while the head names it.
     */
    void loseContent(String vault, ContentHash hash) throws IOException;

    /**
     * Compacts the ledger of {@code vault} as far as the remote allows: up to its oldest kept
     * snapshot (a client behind the new horizon catches up from it).
     *
     * @return the horizon afterwards: changes at or below it are no longer in change pages
     */
    long compact(String vault) throws IOException;

    /** Closes every connection and the remote, and removes what it stored. */
    @Override
    void close() throws IOException;
  }

  /**
   * What a remote is started with.
   *
   * @param clock the remote's clock, for change times and the delete window ({@link
   *     #advance(Duration)} moves it)
   * @param deleteLimits the remote's mass-delete limits
   * @param sizes the remote's largest file and each vault's quota ({@link #SIZES})
   */
  record Settings(Clock clock, DeleteLimits deleteLimits, SizeLimits sizes) {}

  /** The laptop's connection. */
  VaultTransport laptop();

  /** The phone's connection (another client of the same remote). */
  VaultTransport phone();

  /** The remote under test, for its hooks. */
  Backend backend();

  /** Moves the remote's clock on. */
  void advance(Duration d);

  /**
   * Whether the remote keeps share links. One that does not refuses {@link
   * VaultTransport#createShare} with {@link io.vaultsync.protocol.InvalidRequestException}, as
   * documented; the in-memory reference serves no HTTP and keeps none.
   */
  boolean keepsShareLinks();

  /**
   * Checks that {@code out}, the outcomes of {@code batch} committed to the empty vault, applied
   * every mutation in order with consecutive seqs from 1, and that the phone sees every file.
   */
  default void assertAppliedInOrderFromOne(List<Mutation> batch, List<Outcome> out)
      throws IOException {
    assertThat(out).hasSize(batch.size());
    for (int i = 0; i < out.size(); i++) {
      assertThat(applied(out.get(i)).seq()).isEqualTo(i + 1L);
    }
    assertThat(phone().manifest(VAULT).entries()).hasSize(batch.size());
  }

  /** Pushes a new file {@code path} with {@code content} as the laptop. */
  default RemoteEntry push(String path, String content) throws IOException {
    return push(path, text(content));
  }

  /** Pushes a new file {@code path} with {@code content} as the laptop. */
  default RemoteEntry push(String path, byte[] content) throws IOException {
    return laptop().push(VAULT, path(path), null, stream(delta(new byte[0], content)), LAPTOP);
  }
}
