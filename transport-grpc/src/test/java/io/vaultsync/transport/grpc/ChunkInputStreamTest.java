package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChunkInputStreamTest {
  final AtomicInteger requested = new AtomicInteger();

  ChunkInputStream stream(Duration idle) {
    return new ChunkInputStream(2, idle, requested::addAndGet);
  }

  @Test
  void readsChunksInOrderAndEndsOnlyAfterComplete() throws IOException {
    ChunkInputStream in = stream(Duration.ofSeconds(30));
    in.start();
    in.offer(ByteString.copyFromUtf8("ab"));
    in.offer(ByteString.copyFromUtf8("c"));
    in.complete();

    assertThat(in.readAllBytes()).isEqualTo("abc".getBytes());
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void asksForOneMoreMessagePerChunkTaken() throws IOException {
    ChunkInputStream in = stream(Duration.ofSeconds(30));
    in.start();
    assertThat(requested.get()).isEqualTo(2);
    in.offer(ByteString.copyFromUtf8("ab"));

    assertThat(in.read()).isEqualTo('a');
    assertThat(requested.get()).isEqualTo(3);
    assertThat(in.read()).isEqualTo('b');
    assertThat(requested.get()).isEqualTo(3);
  }

  @Test
  void abortMakesReadsFailEvenWithDataQueued() {
    ChunkInputStream in = stream(Duration.ofSeconds(30));
    in.offer(ByteString.copyFromUtf8("abc"));
    in.abort(new StreamAbortedException("push cancelled by the client", null));

    assertThatThrownBy(in::read)
        .isInstanceOf(StreamAbortedException.class)
        .hasMessage("push cancelled by the client");
  }

  @Test
  void idleStreamFailsAfterTheTimeout() {
    ChunkInputStream in = stream(Duration.ofMillis(50));

    assertThatThrownBy(in::read)
        .isInstanceOf(StreamAbortedException.class)
        .hasMessageContaining("no push data");
  }
}
