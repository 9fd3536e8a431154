package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 14: a token need not be on the command line (where ps and the shell's history show
 * it), and a device gets a name of its own that the user is told.
 */
class TokenAndDeviceTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();
  private final List<String> tokensUsed = new CopyOnWriteArrayList<>();
  private final RemoteConnector connector =
      (uri, token) -> {
        tokensUsed.add(token);
        return new CountingTransport(server);
      };

  private Cli.Run run(Map<String, String> env, String stdin, String... args) {
    return Cli.run(connector, env, stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  private Path folderWithANote(String name) throws Exception {
    Path a = Files.createDirectories(tmp.resolve(name));
    Files.writeString(a.resolve("Note.md"), "hello\n");
    return a;
  }

  @Test
  void theTokenComesFromAFileFromStandardInputOrFromTheEnvironment() throws Exception {
    Path file = Files.writeString(tmp.resolve("token"), "from-the-file\n");
    Path a = folderWithANote("a");
    Cli.Run init = run(Map.of(), "", Cli.init(a, "--token-file", file.toString(), "--device", "A"));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(StateFolder.of(a).token()).isEqualTo("from-the-file");

    Cli.Run vaults =
        run(Map.of(), "from-stdin\nignored\n", "vaults", "https://h:1", "--token-stdin");
    assertThat(vaults.exitCode()).as(vaults.stderr()).isZero();

    Path b = tmp.resolve("b");
    Cli.Run clone = run(Map.of("VAULTSYNC_TOKEN", "from-env"), "", Cli.clone(b));
    assertThat(clone.exitCode()).as(clone.stderr()).isZero();
    assertThat(StateFolder.of(b).token()).isEqualTo("from-env");

    assertThat(tokensUsed).containsExactly("from-the-file", "from-stdin", "from-env");
    assertThat(init.text() + vaults.text() + clone.text() + clone.stderr())
        .doesNotContain("from-the-file", "from-stdin", "from-env");
  }

  @Test
  void noTokenOrTwoTokensIsOneLineSayingHowToGiveIt() throws Exception {
    Path a = folderWithANote("a");
    Cli.Run none = run(Map.of(), "", "vaults", "https://h:1");
    assertThat(none.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(none.stderr())
        .contains("no device token", "--token-file", "VAULTSYNC_TOKEN")
        .hasLineCount(1);

    Cli.Run two = run(Map.of(), "t\n", "vaults", "https://h:1", "--token", "t", "--token-stdin");
    assertThat(two.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(two.stderr()).contains("one way").hasLineCount(1);

    Path empty = Files.writeString(tmp.resolve("empty"), "\n");
    Cli.Run blank = run(Map.of(), "", Cli.init(a, "--token-file", empty.toString()));
    assertThat(blank.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(blank.stderr()).contains("empty", empty.toString());
    assertThat(StateFolder.of(a).exists()).isFalse();
    assertThat(tokensUsed).isEmpty();
  }

  @Test
  void twoClonesOnOneMachineGetDifferentDeviceNamesAndAreToldThem() throws Exception {
    Path a = folderWithANote("a");
    Map<String, String> env = Map.of("VAULTSYNC_TOKEN", "t");
    assertThat(run(env, "", Cli.init(a)).exitCode()).isZero();
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    Cli.Run cloneB = run(env, "", Cli.clone(b));
    Cli.Run cloneC = run(env, "", Cli.clone(c));

    String deviceA = StateFolder.of(a).config().device();
    String deviceB = StateFolder.of(b).config().device();
    String deviceC = StateFolder.of(c).config().device();
    assertThat(List.of(deviceA, deviceB, deviceC)).doesNotHaveDuplicates();
    assertThat(deviceB).matches(".+-[0-9a-f]{4}");
    assertThat(cloneB.text()).contains("this device is named \"" + deviceB + "\"", "--device");
    assertThat(cloneC.text()).contains("this device is named \"" + deviceC + "\"");
  }

  @Test
  void aDeviceNamedOnTheCommandLineKeepsItsName() throws Exception {
    Path a = folderWithANote("a");
    Cli.Run init = run(Map.of("VAULTSYNC_TOKEN", "t"), "", Cli.init(a, "--device", "laptop"));
    assertThat(init.exitCode()).isZero();
    assertThat(StateFolder.of(a).config().device()).isEqualTo("laptop");
    assertThat(init.text()).doesNotContain("this device is named");
  }
}
