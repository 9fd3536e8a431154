package io.vaultsync.benchmarks.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaping proxy on loopback against small servers of the test. Lower bounds come from the
 * link's physics (no byte may arrive before the delay, none faster than the rate); upper bounds are
 * generous so a busy 2-core machine does not fail them.
 */
@Timeout(120)
class ShapingProxyTest {
  private ServerSocket target;

  @BeforeEach
  void listen() throws IOException {
    target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    target.close();
  }

  private Socket connect(ShapingProxy proxy) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setTcpNoDelay(true);
    return s;
  }

  /** Accepts one connection and runs {@code server} on it on another thread. */
  private CompletableFuture<Void> serveOne(IoConsumer server) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket s = target.accept()) {
            s.setTcpNoDelay(true);
            server.accept(s);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @FunctionalInterface
  private interface IoConsumer {
    void accept(Socket s) throws IOException;
  }

  @Test
  void bytesPassUnchangedAndInOrderBothWaysUnderASeededRandomWritePattern() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ShapingProxyTest seed " + seed);
    int total = 3 << 20;
    // echo: everything read is written back as it comes
    CompletableFuture<Void> echo =
        serveOne(
            s -> {
              s.getInputStream().transferTo(s.getOutputStream());
              s.shutdownOutput();
            });
    try (ShapingProxy proxy = ShapingProxy.start(Link.wan(2, 400), target::getLocalPort);
        Socket c = connect(proxy)) {
      byte[] sent = new byte[total];
      new SplittableRandom(seed).nextBytes(sent);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                SplittableRandom r = new SplittableRandom(seed + 1);
                try {
                  OutputStream out = c.getOutputStream();
                  int at = 0;
                  while (at < total) {
                    // writes of 1 byte to 64 KiB, some with a pause between them
                    int n =
                        Math.min(
                            total - at,
                            r.nextInt(4) == 0 ? 1 + r.nextInt(16) : 1 + r.nextInt(64 << 10));
                    out.write(sent, at, n);
                    at += n;
                    if (r.nextInt(50) == 0) {
                      Thread.sleep(r.nextInt(5));
                    }
                  }
                  c.shutdownOutput();
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      byte[] back = c.getInputStream().readAllBytes();
      writer.get(60, TimeUnit.SECONDS);
      echo.get(60, TimeUnit.SECONDS);
      assertThat(back.length).as("seed %d", seed).isEqualTo(total);
      assertThat(Arrays.mismatch(back, sent))
          .as("first differing byte, seed %d", seed)
          .isEqualTo(-1);
      assertThat(proxy.bytesUp()).isEqualTo(total);
      assertThat(proxy.bytesDown()).isEqualTo(total);
    }
  }

  @Test
  void aBulkTransferRunsAtTheRateCapNotFaster() throws Exception {
    int bytes = 2 << 20; // 2 MiB at 16 Mbit/s: 1.05 s on the link
    Link link = Link.wan(10, 16);
    CompletableFuture<Void> sink =
        serveOne(
            s -> {
              InputStream in = s.getInputStream();
              byte[] buf = new byte[64 << 10];
              long got = 0;
              int n;
              while ((n = in.read(buf)) >= 0) {
                got += n;
              }
              s.getOutputStream().write(Long.toString(got).getBytes());
            });
    try (ShapingProxy proxy = ShapingProxy.start(link, target::getLocalPort);
        Socket c = connect(proxy)) {
      long t0 = System.nanoTime();
      c.getOutputStream().write(new byte[bytes]);
      c.shutdownOutput();
      String answer = new String(c.getInputStream().readAllBytes());
      double seconds = (System.nanoTime() - t0) / 1e9;
      sink.get(60, TimeUnit.SECONDS);
      assertThat(answer).isEqualTo(Integer.toString(bytes));
      double physics = bytes / link.bytesPerSecond() + link.rtt().toNanos() / 1e9;
      double mbit = bytes * 8 / seconds / 1e6;
      System.out.printf("bulk: %d bytes in %.3f s = %.2f Mbit/s (cap 16)%n", bytes, seconds, mbit);
      // never faster than the cap (serialisation plus the delay each way) ...
      assertThat(seconds).isGreaterThanOrEqualTo(physics);
      // ... and near it: at least half the cap even on a busy machine
      assertThat(mbit).isGreaterThan(8.0);
    }
  }

  @Test
  void aPingPongsRoundTripIsAtLeastTheConfiguredRtt() throws Exception {
    Link link = Link.wan(50, 20);
    int rounds = 10;
    CompletableFuture<Void> pong =
        serveOne(
            s -> {
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              int b;
              while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
              }
            });
    try (ShapingProxy proxy = ShapingProxy.start(link, target::getLocalPort);
        Socket c = connect(proxy)) {
      InputStream in = c.getInputStream();
      OutputStream out = c.getOutputStream();
      long[] rtts = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        out.write(i);
        out.flush();
        assertThat(in.read()).isEqualTo(i);
        rtts[i] = System.nanoTime() - t0;
      }
      c.shutdownOutput();
      assertThat(in.read()).isEqualTo(-1);
      pong.get(30, TimeUnit.SECONDS);
      Arrays.sort(rtts);
      System.out.printf(
          "ping-pong RTT ms: min %.2f median %.2f max %.2f%n",
          rtts[0] / 1e6, rtts[rounds / 2] / 1e6, rtts[rounds - 1] / 1e6);
      assertThat(rtts[0]).isGreaterThanOrEqualTo(link.rtt().toNanos());
      assertThat(rtts[rounds / 2]).isLessThan(link.rtt().toNanos() + 500_000_000L);
    }
  }

  @Test
  void theFirstByteWaitsForTheHandshakesRoundTripAndItsOneWayDelay() throws Exception {
    Link link = Link.wan(60, 20);
    CompletableFuture<Long> arrived = new CompletableFuture<>();
    CompletableFuture<Void> server =
        serveOne(
            s -> {
              s.getInputStream().read();
              arrived.complete(System.nanoTime());
            });
    try (ShapingProxy proxy = ShapingProxy.start(link, target::getLocalPort)) {
      long t0 = System.nanoTime();
      try (Socket c = connect(proxy)) {
        c.getOutputStream().write(1);
        long nanos = arrived.get(30, TimeUnit.SECONDS) - t0;
        // a connect costs a round trip, then the byte travels one way: 1.5 RTT
        assertThat(nanos).isGreaterThanOrEqualTo(link.rtt().toNanos() * 3 / 2);
      }
      server.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHalfCloseIsForwardedAndTheOtherDirectionKeepsFlowing() throws Exception {
    // the server reads to the end of the client's stream, then answers and closes
    CompletableFuture<Void> server =
        serveOne(
            s -> {
              byte[] request = s.getInputStream().readAllBytes();
              MessageDigest sha;
              try {
                sha = MessageDigest.getInstance("SHA-256");
              } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
              }
              s.getOutputStream().write(sha.digest(request));
              s.getOutputStream().write(new byte[100_000]);
            });
    try (ShapingProxy proxy = ShapingProxy.start(Link.wan(20, 50), target::getLocalPort);
        Socket c = connect(proxy)) {
      byte[] request = new byte[50_000];
      new SplittableRandom(7).nextBytes(request);
      c.getOutputStream().write(request);
      c.shutdownOutput(); // half-close: the client still reads
      byte[] answer = c.getInputStream().readAllBytes();
      server.get(30, TimeUnit.SECONDS);
      assertThat(Arrays.copyOf(answer, 32))
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(request));
      assertThat(answer).hasSize(32 + 100_000);
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);
    }
  }

  @Test
  void aCloseOnEitherSideEndsTheConnectionOnTheOther() throws Exception {
    try (ShapingProxy proxy = ShapingProxy.start(Link.wan(10, 20), target::getLocalPort)) {
      // the client closes: the server reads the end of its stream
      CompletableFuture<byte[]> seen = new CompletableFuture<>();
      CompletableFuture<Void> s1 = serveOne(s -> seen.complete(s.getInputStream().readAllBytes()));
      try (Socket c = connect(proxy)) {
        c.getOutputStream().write("bye".getBytes());
      }
      assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo("bye".getBytes());
      s1.get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);

      // the server closes: the client reads the end of its stream
      CompletableFuture<Void> s2 = serveOne(s -> s.getOutputStream().write("done".getBytes()));
      try (Socket c = connect(proxy)) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        c.getInputStream().transferTo(got);
        assertThat(got.toString()).isEqualTo("done");
        s2.get(30, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);
      assertThat(proxy.connectionsAccepted()).isEqualTo(2);
    }
  }

  @Test
  void aTargetThatIsNotThereClosesTheClientsConnection() throws Exception {
    int port = target.getLocalPort();
    target.close();
    try (ShapingProxy proxy = ShapingProxy.start(Link.wan(10, 20), () -> port);
        Socket c = connect(proxy)) {
      c.setSoTimeout(30_000);
      assertThat(c.getInputStream().read()).isEqualTo(-1);
    }
  }
}
