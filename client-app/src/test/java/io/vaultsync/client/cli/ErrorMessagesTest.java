package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.sync.ChangedMeanwhileException;
import io.vaultsync.core.transport.AuthenticationException;
import io.vaultsync.core.transport.RemoteUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** The common failures say what went wrong, where, and what to do. */
class ErrorMessagesTest {
  private static final URI SERVER = URI.create("https://notes.example:8443");

  @Test
  void unreachableServerNamesTheUrlAndSaysToCheckThatItRuns() {
    String m =
        ErrorMessages.describe(new RemoteUnavailableException("UNAVAILABLE: io exception"), SERVER);
    assertThat(m)
        .contains("https://notes.example:8443")
        .contains("UNAVAILABLE: io exception")
        .contains("check that the server runs");
  }

  @Test
  void refusedTokenSaysHowToCreateOne() {
    String m =
        ErrorMessages.describe(
            new UncheckedIOException(
                new AuthenticationException("missing or invalid device token")),
            SERVER);
    assertThat(m)
        .contains("https://notes.example:8443")
        .contains("refused the token")
        .contains("vaultsync server token create");
  }

  @Test
  void withoutAServerTheMessageStillReads() {
    assertThat(ErrorMessages.describe(new RemoteUnavailableException("UNAVAILABLE: x")))
        .startsWith("cannot reach the server (UNAVAILABLE: x)");
  }

  @Test
  void permissionDeniedNamesTheFileAndWhatToCheck() {
    assertThat(ErrorMessages.describe(new AccessDeniedException("/v/a.md")))
        .isEqualTo(
            "permission denied: /v/a.md: check that you own the file and may write its folder"
                + " (ls -l)");
  }

  @Test
  void diskFullNamesTheFileAndSaysToFreeSpace() {
    assertThat(
            ErrorMessages.describe(
                new FileSystemException("/v/big.pdf", null, "No space left on device")))
        .startsWith("disk full writing /v/big.pdf: free some space");
    assertThat(ErrorMessages.describe(new IOException("No space left on device")))
        .startsWith("disk full: free some space");
  }

  @Test
  void fileChangedWhileReadSaysToRunAgain() {
    assertThat(ErrorMessages.describe(new ChangedMeanwhileException("a.md changed meanwhile")))
        .isEqualTo(
            "a.md changed meanwhile (a file changed while being read; run the command again)");
  }

  @Test
  void aFullServerDiskIsTheServersNotOurs() {
    String m =
        ErrorMessages.describe(
            new io.vaultsync.core.transport.ServerStorageException(
                "the server's disk is full (no space left on device); nothing of this call was"
                    + " stored: ask the server's operator to free space, then run the command"
                    + " again"),
            SERVER);
    assertThat(m).startsWith("the server's disk is full").doesNotContain("free some space and");
  }
}
