package io.vaultsync.server.contract;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.ContentDamage;
import io.vaultsync.protocol.testkit.VaultProtocolContract;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite against the real server, as {@code vaultsync server} runs it (SQLite ledger,
 * pack store, master folders, share links), reached through one of its faces ({@link #serve}), one
 * token and client per device. Its hooks do what an operator or a disk would: compaction is {@code
 * vaultsync server compact}'s, and lost content is a pack whose bytes of it were damaged and a
 * master folder that no longer holds it.
 */
abstract class RealServerProtocolContract extends VaultProtocolContract {
  @TempDir Path tmp;

  /** A face of the server: what a client connects to. */
  interface Face extends AutoCloseable {
    /** A client of this face with the device token {@code token}. */
    VaultTransport connect(String token) throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Serves {@code data} through the face under test (the caller closes {@code data} after it). */
  abstract Face serve(ServerData data, Settings settings) throws IOException;

  @Override
  protected final Backend start(Settings settings) throws IOException {
    ServerData data = open(tmp.resolve("server"), settings);
    Face face;
    try {
      face = serve(data, settings);
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    List<VaultTransport> clients = new ArrayList<>();
    return new Backend() {
      @Override
      public VaultTransport connect(String device) throws IOException {
        VaultTransport client = face.connect(data.tokens().create(device));
        clients.add(client);
        return client;
      }

      @Override
      public void loseContent(String vault, ContentHash hash) throws IOException {
        RealServerProtocolContract.loseContent(data, vault, hash);
      }

      @Override
      public long compact(String vault) throws IOException {
        return RealServerProtocolContract.compact(data, vault);
      }

      @Override
      public void close() throws IOException {
        for (VaultTransport c : clients) {
          c.close();
        }
        face.close();
        data.close();
      }
    };
  }

  /** The server's data folder under {@code dir}, with the suite's clock and limits. */
  private static ServerData open(Path dir, Settings settings) throws IOException {
    ServerData data =
        ServerData.open(
            dir,
            settings.clock(),
            settings.deleteLimits(),
            new StorageLimits(
                settings.sizes().maxFileBytes(),
                OptionalLong.of(settings.sizes().vaultQuotaBytes())));
    // Links need a public base URL; the suite opens none.
    data.shares().baseUrl(URI.create("http://127.0.0.1:1/"));
    return data;
  }

  /** Loses {@code hash}: its master-folder copies deleted and its pack bytes damaged. */
  private static void loseContent(ServerData data, String vault, ContentHash hash)
      throws IOException {
    byte[] content;
    try (InputStream in = data.content().open(hash).stream()) {
      content = in.readAllBytes();
    }
    data.vaults().awaitMirrored(vault);
    deleteCopies(data.vaults().folder(VaultName.of(vault)), hash);
    damageCopies(data.dir().resolve("store"), content);
    StoredObject still;
    try {
      still = data.content().open(hash);
    } catch (IOException expected) {
      return; // the store found it damaged: it no longer serves it and the server wants it
    }
    throw new AssertionError("content " + hash.hex() + " is still served: " + still);
  }

  /** Compacts {@code vault} as {@code vaultsync server compact} does; returns the new horizon. */
  private static long compact(ServerData data, String vault) throws IOException {
    data.vaults().awaitMirrored(vault);
    return data.vaults().compact(VaultName.of(vault), null).horizonAfter();
  }

  /** Deletes the files of the master folder {@code folder} that hold {@code hash}. */
  private static void deleteCopies(Path folder, ContentHash hash) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      if (ContentHash.digestOf(Files.readAllBytes(f)).equals(hash)) {
        Files.delete(f);
      }
    }
  }

  /** Flips the first byte of every copy of {@code content} in the packs under {@code store}. */
  private static void damageCopies(Path store, byte[] content) throws IOException {
    int damaged =
        ContentDamage.flipCopies(store, content, p -> p.getFileName().toString().endsWith(".pack"));
    if (damaged == 0) {
      throw new AssertionError("no copy of the content found in the packs under " + store);
    }
  }
}
