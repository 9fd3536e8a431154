package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.SyncPlan;
import io.vaultsync.client.sync.SyncPreview;
import io.vaultsync.client.sync.Syncer;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync status DIR [--allow-mass-delete]}: what a sync would do, without doing it, and
 * which deletes it would hold back as a mass delete.
 */
@Command(
    name = "status",
    description = {
      "Show what a sync would do; change nothing.",
      "Names each file the sync would leave out (links, special files, names no sync can take).",
      "Shows the deletes a sync would hold back (a mass delete, or a folder that looks empty) and"
          + " why."
    })
final class StatusCommand extends FolderCommand {
  @Option(
      names = "--allow-mass-delete",
      description = "Show the plan as 'sync --allow-mass-delete' would run it.")
  boolean allowMassDelete;

  @Override
  int run(PrintWriter out) throws IOException {
    StateFolder state = StateFolder.of(dir);
    try (VaultTransport t = connect(state)) {
      SyncPreview preview =
          new Syncer(t, root.clock())
              .preview(dir, allowMassDelete ? SyncOptions.ALLOW_MASS_DELETE : SyncOptions.DEFAULTS);
      SyncPlan plan = preview.plan();
      List<String> lines = plan.lines();
      if (!lines.isEmpty()) {
        lines.forEach(out::println);
      } else if (plan.leftOut().isEmpty()) {
        out.println("up to date at seq " + plan.remote().headSeq());
      } else {
        out.println(
            "up to date at seq "
                + plan.remote().headSeq()
                + " but for "
                + plan.leftOut().size()
                + (plan.leftOut().size() == 1 ? " file" : " files")
                + " not synced:");
      }
      // After the plan: every file a sync would leave out before any step, each named.
      plan.leftOut().forEach(n -> out.println("not synced: " + n.describe()));
      preview.ignoreProblems().forEach(p -> out.println("warning: " + p));
      preview.heldBack().forEach(r -> out.println("sync would have " + r.describe(dir.toString())));
      out.flush();
      return VaultsyncCommand.EXIT_OK;
    }
  }
}
