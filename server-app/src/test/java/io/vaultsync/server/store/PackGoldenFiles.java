package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.TestDeltas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worked examples "framed pack" of docs/FORMAT.md section 9 and the tool that writes its golden
 * files ({@code server-app/src/test/resources/golden/pack-v2.pack} and {@code pack-v2.idx}): a
 * framed pack holding {@code hello\n} whole and {@code hello\nhello again\n} as a delta against it,
 * and its index (version 3). Tests only compare; they never regenerate. Run {@code main} with the
 * golden folder to write them again after a deliberate format change (which bumps its version):
 *
 * <pre>
 *   ./mvnw -B -q -pl server-app -am test-compile
 *   java -cp "$(cat cp.txt)" io.vaultsync.server.store.PackGoldenFiles server-app/src/test/resources/golden
 * </pre>
 */
public final class PackGoldenFiles {
  static final byte[] WHOLE = "hello\n".getBytes(StandardCharsets.UTF_8);
  static final byte[] NEWER = "hello\nhello again\n".getBytes(StandardCharsets.UTF_8);

  private PackGoldenFiles() {}

  /** The delta (docs/FORMAT.md section 4) that turns {@link #WHOLE} into {@link #NEWER}. */
  static byte[] delta() throws IOException {
    return TestDeltas.delta(WHOLE, NEWER);
  }

  /** The pack's entries, as its index names them. */
  static List<PackIndexFormat.Entry> entries() throws IOException {
    ContentHash a = ContentHash.digestOf(WHOLE);
    ContentHash b = ContentHash.digestOf(NEWER);
    long first = PackFormat.HEADER + PackFormat.RECORD_WHOLE;
    long second = first + WHOLE.length + PackFormat.RECORD_DELTA;
    List<PackIndexFormat.Entry> entries = new ArrayList<>();
    entries.add(new PackIndexFormat.Entry(a, first, WHOLE.length));
    entries.add(new PackIndexFormat.Entry(b, second, delta().length, a, NEWER.length));
    return entries;
  }

  /** The pack file. */
  static byte[] pack() throws IOException {
    List<PackIndexFormat.Entry> e = entries();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(PackFormat.header());
    out.write(PackFormat.record(e.get(0)));
    out.write(WHOLE);
    out.write(PackFormat.record(e.get(1)));
    out.write(delta());
    return out.toByteArray();
  }

  /** Its index. */
  static byte[] index() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PackIndexFormat.write(entries(), pack().length, true, out);
    return out.toByteArray();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "server-app/src/test/resources/golden");
    Files.createDirectories(dir);
    Files.write(dir.resolve("pack-v2.pack"), pack());
    Files.write(dir.resolve("pack-v2.idx"), index());
  }
}
