package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection that failed is reported as what it was (issue 12, item 13): a server never reached
 * ("cannot reach"), a connection lost mid-call (a server that died, a reset), or a server that went
 * silent; a server's own answer is left to {@link FromStatus#toException}.
 */
class ConnectionFailureMappingTest {
  private static final String WHAT = "downloading 3 files";

  private static StatusRuntimeException unavailable(String description, Throwable cause) {
    return Status.UNAVAILABLE.withDescription(description).withCause(cause).asRuntimeException();
  }

  private static IOException map(StatusRuntimeException e, boolean reachedBefore) {
    return ConnectionFailures.toException(e, WHAT, reachedBefore, null, Duration.ofSeconds(60));
  }

  @Test
  void aRefusedConnectionBeforeAnyAnswerIsUnreachableAndNamesTheCause() {
    IOException e =
        map(
            unavailable(
                "io exception", new ConnectException("Connection refused: /127.0.0.1:7420")),
            false);

    assertThat(e)
        .isExactlyInstanceOf(RemoteUnavailableException.class)
        .hasMessage("UNAVAILABLE: io exception: Connection refused: /127.0.0.1:7420");
  }

  @Test
  void aConnectionClosedMidCallIsLostEvenBeforeAnyAnswer() {
    IOException e = map(unavailable("Network closed for unknown reason", null), false);

    assertThat(e)
        .isInstanceOfSatisfying(
            ConnectionLostException.class,
            lost -> {
              assertThat(lost.doing()).isEqualTo(WHAT);
              assertThat(lost.detail()).isEqualTo("UNAVAILABLE: Network closed for unknown reason");
            })
        .hasMessage(
            "connection lost while downloading 3 files: UNAVAILABLE: Network closed for unknown"
                + " reason");
  }

  @Test
  void aRefusedReconnectAfterAnswersIsALostConnectionNotAnUnreachableServer() {
    IOException e =
        map(unavailable("io exception", new ConnectException("Connection refused")), true);

    assertThat(e).isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void aDeadlineIsAStallOnceTheServerAnsweredAndUnreachableWhileStillConnecting() {
    assertThat(
            map(Status.DEADLINE_EXCEEDED.withDescription("after 60s").asRuntimeException(), true))
        .isInstanceOfSatisfying(
            RemoteStalledException.class,
            s -> assertThat(s.silence()).isEqualTo(Duration.ofSeconds(60)))
        .hasMessage("nothing from the server for 60 s while downloading 3 files");
    assertThat(
            map(
                Status.DEADLINE_EXCEEDED
                    .withDescription("deadline exceeded after 59s. [waiting_for_connection]")
                    .asRuntimeException(),
                false))
        .isExactlyInstanceOf(RemoteUnavailableException.class);
  }

  @Test
  void aWatchdogThatFiredMakesAnyStatusAStall() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    try (StallWatchdog dog = new StallWatchdog(Duration.ofMillis(50), fired::countDown)) {
      dog.waiting();
      assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
      IOException e =
          ConnectionFailures.toException(
              Status.CANCELLED.withDescription("context cancelled").asRuntimeException(),
              WHAT,
              true,
              dog,
              null);
      assertThat(e).isInstanceOf(RemoteStalledException.class);
    }
  }

  @Test
  void aCancelTheClientDidNotAskForIsALostConnection() {
    assertThat(map(Status.CANCELLED.withDescription("RST_STREAM").asRuntimeException(), true))
        .isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void aChannelClosedMidHandshakeIsALostConnection() {
    IOException e =
        map(
            Status.UNKNOWN
                .withDescription("channel closed")
                .withCause(new java.nio.channels.ClosedChannelException())
                .asRuntimeException(),
            false);
    assertThat(e)
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("channel closed");
  }

  @Test
  void theServersOwnAnswersAreNotConnectionFailures() {
    assertThat(map(Status.NOT_FOUND.asRuntimeException(), true)).isNull();
    assertThat(map(Status.INVALID_ARGUMENT.asRuntimeException(), true)).isNull();
    assertThat(
            map(
                Status.INTERNAL
                    .withDescription("internal server error (incident x)")
                    .asRuntimeException(),
                true))
        .isNull();
    assertThat(
            map(Status.UNAVAILABLE.withDescription(StatusMapping.BUSY).asRuntimeException(), true))
        .isNull();
  }
}
