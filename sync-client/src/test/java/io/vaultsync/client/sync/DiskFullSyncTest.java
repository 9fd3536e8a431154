package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1 on the client: a download or a conflict copy that fails because the client's
 * disk is full is never read, at the next sync, as a local delete or edit, and leaves nothing
 * behind that would be (a conflict copy of a conflict that is then kept a second time).
 */
class DiskFullSyncTest {
  static final String ENOSPC = "No space left on device";

  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  /**
   * Both sides changed a binary file: the local version is kept as a conflict copy, then the remote
   * one downloaded. If that download runs out of space, the step is undone (the original is
   * untouched, the copy removed), so the next sync keeps both once, not twice.
   */
  @Test
  void aConflictCopyWhoseDownloadRunsOutOfSpaceIsUndoneAndTheNextSyncKeepsBothOnce()
      throws Exception {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    a.write("img/pic.bin", new byte[] {0, 1, 2, 3});
    a.init();
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    b.cloneVault();
    a.write("img/pic.bin", new byte[] {9, 9, 9});
    a.sync();
    b.write("img/pic.bin", new byte[] {7, 7, 7, 7});

    Replica full = new Replica(b.dir, "phone", diskFullAfter(0));
    assertThatThrownBy(full::sync).isInstanceOf(IOException.class).hasMessageContaining(ENOSPC);

    assertThat(b.files()).containsOnlyKeys("img/pic.bin");
    assertThat(Files.readAllBytes(b.dir.resolve("img/pic.bin"))).containsExactly(7, 7, 7, 7);

    SyncReport report = b.sync();
    a.sync();
    assertThat(report.conflictCopies()).hasSize(1);
    String copy = report.conflictCopies().get(0).value();
    for (Replica r : List.of(a, b)) {
      assertThat(r.files()).containsOnlyKeys("img/pic.bin", copy);
      assertThat(Files.readAllBytes(r.dir.resolve("img/pic.bin"))).containsExactly(9, 9, 9);
      assertThat(Files.readAllBytes(r.dir.resolve(copy))).containsExactly(7, 7, 7, 7);
    }
    assertThat(a.files()).isEqualTo(b.files()).isEqualTo(Replica.serverFiles(server));
  }

  /**
   * A sync whose downloads (new files, edits, a move and deletes from another device) run out of
   * space half-way: what was applied is kept, what was not is fetched by the next sync, and that
   * sync sends nothing to the server: no delete, edit or move is read from the failed downloads.
   */
  @Test
  void downloadsThatRunOutOfSpaceAreNeitherDeletesNorEditsAtTheNextSync() throws Exception {
    Replica[] pair =
        Replica.pair(
            tmp,
            server,
            r -> {
              for (int i = 0; i < 20; i++) {
                r.write("notes/n" + i + ".md", "note " + i + "\n");
              }
            });
    Replica a = pair[0];
    Replica b = pair[1];
    for (int i = 0; i < 5; i++) {
      a.write("notes/n" + i + ".md", "note " + i + " edited on the laptop\n");
    }
    a.delete("notes/n5.md");
    a.delete("notes/n6.md");
    Files.createDirectories(a.dir.resolve("archive"));
    Files.move(a.dir.resolve("notes/n7.md"), a.dir.resolve("archive/n7.md"));
    for (int i = 0; i < 30; i++) {
      a.write("new/m" + i + ".md", "new note " + i + "\n".repeat(i));
    }
    a.sync();
    long before = server.changesSince(Replica.VAULT, 0, 10_000).headSeq();

    Replica full = new Replica(b.dir, "phone", diskFullAfter(200));
    assertThatThrownBy(full::sync).isInstanceOf(IOException.class).hasMessageContaining(ENOSPC);
    try (Stream<Path> s = Files.walk(b.dir)) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith(".vstmp-")).toList())
          .as("no temporary file left in the vault")
          .allMatch(p -> p.startsWith(b.dir.resolve(".vaultsync")));
    }

    b.sync();

    List<Change> after = server.changesSince(Replica.VAULT, before, 10_000).changes();
    assertThat(after).as("the phone sent nothing").isEmpty();
    assertThat(b.files()).isEqualTo(a.files()).isEqualTo(Replica.serverFiles(server));
  }

  /**
   * {@link #server} as seen by a client whose disk fills up after {@code room} bytes of downloads:
   * every write of fetched content past that fails with "No space left on device".
   */
  private VaultTransport diskFullAfter(long room) {
    AtomicLong left = new AtomicLong(room);
    return (VaultTransport)
        Proxy.newProxyInstance(
            VaultTransport.class.getClassLoader(),
            new Class<?>[] {VaultTransport.class},
            (proxy, method, args) -> {
              if (method.getName().equals("fetch") && args.length == 4) {
                args[3] = new Filling((OutputStream) args[3], left);
              } else if (method.getName().equals("fetchMany")) {
                FetchReceiver inner = (FetchReceiver) args[2];
                args[2] =
                    new ForwardingReceiver(inner) {
                      @Override
                      public OutputStream begin(int index) throws IOException {
                        return new Filling(inner.begin(index), left);
                      }
                    };
              }
              try {
                return method.invoke(server, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** A stream onto the client's disk that has {@code left} bytes of room. */
  private static final class Filling extends FilterOutputStream {
    private final AtomicLong left;

    Filling(OutputStream out, AtomicLong left) {
      super(out);
      this.left = left;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (left.addAndGet(-len) < 0) {
        throw new IOException(ENOSPC);
      }
      out.write(b, off, len);
    }
  }
}
