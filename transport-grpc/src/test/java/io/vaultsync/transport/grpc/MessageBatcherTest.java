package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vaultsync.transport.grpc.v1.Mutation;
import io.vaultsync.transport.grpc.v1.Put;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBatcherTest {
  static Mutation put(int deltaBytes) {
    return Mutation.newBuilder()
        .setPut(
            Put.newBuilder().setPath("a.md").setDelta(ByteString.copyFrom(new byte[deltaBytes])))
        .build();
  }

  @Test
  void splitsByBytesKeepingOrderAndEveryMutation() {
    List<Mutation> all = List.of(put(400), put(400), put(400), put(10));

    List<List<Mutation>> batches = MessageBatcher.split(all, 1000, 100);

    assertThat(batches).extracting(List::size).containsExactly(2, 2);
    assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(all);
  }

  @Test
  void splitsByCount() {
    List<Mutation> all = new ArrayList<>();
    for (int i = 0; i < 1201; i++) {
      all.add(put(1));
    }

    assertThat(MessageBatcher.split(all, Integer.MAX_VALUE, 500))
        .extracting(List::size)
        .containsExactly(500, 500, 201);
  }

  @Test
  void aSingleMutationOverTheLimitStillGoesAlone() {
    assertThat(MessageBatcher.split(List.of(put(5000), put(1)), 1000, 100))
        .extracting(List::size)
        .containsExactly(1, 1);
    assertThat(MessageBatcher.split(List.of(), 1000, 100)).isEmpty();
  }
}
