package io.vaultsync.protocol.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The values the contract suite's tests build and read: paths, texts, deltas, mutations, outcomes.
 * Static, so every topic suite and an implementation's own tests share them.
 */
public final class ContractData {
  private ContractData() {}

  public static NotePath path(String p) {
    return NotePath.of(p);
  }

  public static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static ContentHash hash(String content) {
    return ContentHash.digestOf(text(content));
  }

  public static ByteArrayInputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  /** A delta from {@code basis} to {@code target}, as a client that kept the basis computes it. */
  public static byte[] delta(byte[] basis, byte[] target) throws IOException {
    return Deltas.encode(basis, target);
  }

  /** Applies {@code delta} to {@code basis}, checking the whole-file hash. */
  public static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    return Deltas.patch(basis, new ByteArrayInputStream(delta)).content();
  }

  /** A put of a new file {@code path} with {@code content}. */
  public static Mutation.Put putNew(String path, String content) {
    try {
      return new Mutation.Put(path(path), null, delta(new byte[0], text(content)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} new notes f0/n0.md, f1/n1.md, ... in twenty folders: the puts of one batch. */
  public static List<Mutation> newNotes(int n) {
    List<Mutation> puts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      puts.add(putNew("f" + (i % 20) + "/n" + i + ".md", "note " + i));
    }
    return puts;
  }

  /** The bytes of {@code target}, fetched by {@code via} as a delta against {@code base}. */
  public static byte[] fetch(VaultTransport via, ContentHash target, ContentHash base, byte[] basis)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    via.fetch(ProtocolFixture.VAULT, target, base, out);
    return patch(basis, out.toByteArray());
  }

  static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** The reason of {@code o}, which must refuse {@code path}. */
  static String refusal(Outcome o, String path) {
    assertThat(o).isInstanceOf(Outcome.Refused.class);
    Outcome.Refused r = (Outcome.Refused) o;
    assertThat(r.path()).isEqualTo(path(path));
    return r.reason();
  }

  /** The change {@code o} made; it must be applied. */
  static Change applied(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Applied.class);
    return ((Outcome.Applied) o).change();
  }

  static RemoteEntry entry(RemoteManifest m, String path) {
    return m.entries().stream()
        .filter(e -> e.path().value().equals(path))
        .findFirst()
        .orElseThrow();
  }
}
