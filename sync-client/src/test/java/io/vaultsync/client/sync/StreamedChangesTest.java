package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What a watch cycle may take from the stream instead of the server, and when it must ask. */
class StreamedChangesTest {
  private static Change change(long seq) {
    byte[] content = ("v" + seq).getBytes(StandardCharsets.UTF_8);
    return new Change(
        seq,
        Change.Op.PUT,
        NotePath.of("n" + seq + ".md"),
        null,
        ContentHash.digestOf(content),
        content.length,
        "desk",
        Instant.EPOCH);
  }

  private static List<Change> changes(long first, long last) {
    return LongStream.rangeClosed(first, last).mapToObj(StreamedChangesTest::change).toList();
  }

  private static List<Long> seqs(ChangesAfter feed) {
    return feed.changes().stream().map(Change::seq).toList();
  }

  @Test
  void coversWhatFollowsTheSubscriptionAndNothingElse() {
    StreamedChanges streamed = new StreamedChanges();
    assertThat(streamed.after(0)).as("before any subscription").isNull();
    streamed.restart(5);
    streamed.add(changes(6, 7), 9); // the head (9) is further than what was streamed
    assertThat(streamed.after(4)).as("before the subscription's seq").isNull();
    ChangesAfter feed = streamed.after(5);
    assertThat(seqs(feed)).containsExactly(6L, 7L);
    assertThat(feed.head()).as("never past the last change held").isEqualTo(7);
    assertThat(streamed.after(8)).as("after the last change held").isNull();
    assertThat(seqs(streamed.after(7))).isEmpty();
    assertThat(streamed.after(6)).as("dropped once the index passed them").isNull();
  }

  @Test
  void aDeliveryThatDoesNotFollowOnDropsWhatWasHeld() {
    StreamedChanges streamed = new StreamedChanges();
    streamed.restart(5);
    streamed.add(changes(6, 6), 6);
    streamed.add(changes(9, 10), 10);
    assertThat(streamed.after(5)).isNull();
    assertThat(streamed.after(8)).isNull();
    assertThat(seqs(streamed.after(10))).isEmpty();
    streamed.add(changes(11, 12), 12);
    assertThat(seqs(streamed.after(10))).containsExactly(11L, 12L);
  }

  @Test
  void tooManyChangesAreDroppedAndReadFromTheServer() {
    StreamedChanges streamed = new StreamedChanges();
    streamed.restart(0);
    streamed.add(changes(1, StreamedChanges.MAX_CHANGES), StreamedChanges.MAX_CHANGES);
    assertThat(streamed.after(0).changes()).hasSize(StreamedChanges.MAX_CHANGES);
    streamed.add(changes(StreamedChanges.MAX_CHANGES + 1, StreamedChanges.MAX_CHANGES + 1), 0);
    assertThat(streamed.after(0)).isNull();
  }
}
