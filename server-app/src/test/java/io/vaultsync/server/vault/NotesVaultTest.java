package io.vaultsync.server.vault;

import static io.vaultsync.server.TestDeltas.delta;
import static io.vaultsync.server.TestDeltas.patch;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.ledger.VaultName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setting most ServerVaults tests share: a {@link Fixture} over a fresh data folder with one
 * vault, "notes", opened before each test and closed after it, and the few writes and reads those
 * tests make of it (as device "laptop" unless they name one). A subclass's own {@code @BeforeEach}
 * runs after {@link #openNotesVault()}, so it can add to the vault.
 */
abstract class NotesVaultTest {
  static final VaultName NOTES = VaultName.of("notes");

  @TempDir Path dir;

  /** The open fixture; a test that closes it on purpose sets it to null (or reopens it). */
  Fixture f;

  @BeforeEach
  final void openNotesVault() throws IOException {
    f = new Fixture(dir);
    f.vaults.createVault(NOTES.value());
  }

  @AfterEach
  final void closeFixture() throws IOException {
    if (f != null) {
      f.close();
    }
  }

  /** Closes the data folder and opens it again, as a restarted server does (reconciled). */
  final void restart() throws IOException {
    f.close();
    f = new Fixture(dir);
    f.reconciler.reconcileAll();
  }

  /** A put of a file the head does not hold yet: its delta against nothing. */
  static Mutation.Put putNew(String path, byte[] content) throws IOException {
    return new Mutation.Put(NotePath.of(path), null, delta(new byte[0], content));
  }

  /** A put of a new note holding {@code content} in UTF-8. */
  static Mutation.Put putNew(String path, String content) throws IOException {
    return putNew(path, Fixture.text(content));
  }

  /** Commits {@code mutations} to "notes" as {@code device}. */
  final List<Outcome> commit(String device, Mutation... mutations) throws IOException {
    return f.vaults.commit(NOTES.value(), List.of(mutations), device);
  }

  /**
   * Pushes {@code content} to {@code path} as "laptop": over {@code base} (a delta against it) or,
   * with a null base, as a new file.
   */
  final RemoteEntry push(NotePath path, byte[] base, byte[] content) throws IOException {
    return f.vaults.push(
        NOTES.value(),
        path,
        base == null ? null : ContentHash.digestOf(base),
        new ByteArrayInputStream(delta(base == null ? new byte[0] : base, content)),
        "laptop");
  }

  /** Pushes {@code content} to {@code path}, a file the head does not hold yet, as "laptop". */
  final RemoteEntry pushNew(String path, byte[] content) throws IOException {
    return push(NotePath.of(path), null, content);
  }

  /** The bytes of {@code target}, fetched as a delta against {@code base} (null: whole). */
  final byte[] fetch(ContentHash target, byte[] base) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.vaults.fetch(NOTES.value(), target, base == null ? null : ContentHash.digestOf(base), out);
    return patch(base == null ? new byte[0] : base, out.toByteArray());
  }

  /** The paths of the head of "notes", in the manifest's order. */
  final List<String> headPaths() throws IOException {
    return f.vaults.manifest(NOTES.value()).entries().stream().map(e -> e.path().value()).toList();
  }
}
