package io.vaultsync.server.http;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.TestDeltas;
import io.vaultsync.server.vault.ServerVaults;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Test helpers: write notes into a vault through the backend, read zips back. */
public final class VaultNotes {
  private VaultNotes() {}

  /** Creates or replaces {@code path} with {@code text}; returns the change's seq. */
  static long put(ServerVaults vaults, String vault, String path, String text) throws IOException {
    NotePath p = NotePath.of(path);
    ContentHash current = current(vaults, vault, p);
    List<Outcome> out =
        vaults.commit(
            vault, List.of(new Mutation.Put(p, current, TestDeltas.delta(bytes(text)))), "laptop");
    return ((Outcome.Applied) out.get(0)).change().seq();
  }

  /** Deletes {@code path}; returns the change's seq. */
  static long delete(ServerVaults vaults, String vault, String path) throws IOException {
    NotePath p = NotePath.of(path);
    return vaults.delete(vault, p, current(vaults, vault, p), "laptop").seq();
  }

  /** Moves {@code from} to {@code to}; returns the change's seq. */
  static long move(ServerVaults vaults, String vault, String from, String to) throws IOException {
    NotePath p = NotePath.of(from);
    return vaults.move(vault, p, NotePath.of(to), current(vaults, vault, p), "laptop").seq();
  }

  /**
   * A put of {@code target} at {@code path} as a delta over {@code base}, the text the head holds
   * there (null: a new file).
   */
  public static Mutation.Put putOver(String path, String base, String target) throws IOException {
    byte[] basis = base == null ? new byte[0] : bytes(base);
    return new Mutation.Put(
        NotePath.of(path),
        base == null ? null : ContentHash.digestOf(basis),
        TestDeltas.delta(basis, bytes(target)));
  }

  static ContentHash current(ServerVaults vaults, String vault, NotePath p) throws IOException {
    for (RemoteEntry e : vaults.manifest(vault).entries()) {
      if (e.path().equals(p)) {
        return e.hash();
      }
    }
    return null;
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The entries of a zip, name to text, in order. */
  static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static List<String> names(byte[] zip) throws IOException {
    return new ArrayList<>(unzip(zip).keySet());
  }
}
