package io.vaultsync.server.vault;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.server.ledger.VaultName;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator what the master folders owe, without a line per attempt: each path that starts
 * failing is logged once at ERROR with its reason ("No space left on device"); a summary line per
 * vault ("N files of vault V are not yet written to the master folder: ...") comes with the first
 * failure and after a retry that finds a different number still owed; one INFO line when they are
 * written. A restart reports what is still owed once more. Thread-safe.
 */
final class MirrorReport {
  private static final Logger log = LoggerFactory.getLogger(MasterMirror.class);

  /** Paths named in a summary line. */
  private static final int SAMPLE = 5;

  /** What was reported for a vault that owes paths: the paths, and the count last summarized. */
  private record Reported(Set<NotePath> paths, int summarized) {}

  private final Map<VaultName, Reported> reported = new HashMap<>();

  /** Whether the last report for {@code vault} had pending paths. */
  synchronized boolean owes(VaultName vault) {
    return reported.containsKey(vault);
  }

  /**
   * Reports the vault's pending paths after a pass.
   *
   * @param pending every path the vault's folder owes now, with the reason of its last failure
   * @param nextRetry when the next retry runs, or null if it was scheduled before
   * @param retry whether the pass was a retry
   */
  synchronized void update(
      VaultName vault, Map<NotePath, String> pending, Duration nextRetry, boolean retry) {
    Reported before = reported.get(vault);
    Set<NotePath> known = before == null ? Set.of() : before.paths();
    List<NotePath> fresh = pending.keySet().stream().filter(p -> !known.contains(p)).toList();
    long written = known.stream().filter(p -> !pending.containsKey(p)).count();
    for (NotePath p : fresh) {
      String why = pending.get(p);
      log.error(
          "could not write {} into the master folder of vault {}: {}; {}",
          p,
          vault,
          why,
          why.startsWith(MasterMirror.STORE_LACKS)
              ? "the server asks devices that hold it to give it back, and retries"
              : "the file is safe in the store and syncs to clients as usual; the server retries");
    }
    if (pending.isEmpty()) {
      if (written > 0) {
        log.info(
            "vault {}: the master folder holds every file again ({} written after failing)",
            vault,
            written);
      }
      reported.remove(vault);
      return;
    }
    int summarized = before == null ? -1 : before.summarized();
    if ((before == null && !fresh.isEmpty()) || (retry && pending.size() != summarized)) {
      NotePath first = fresh.isEmpty() ? pending.keySet().iterator().next() : fresh.get(0);
      log.error(
          "{} of vault {} {} not yet written to the master folder ({}): {}; retrying{}, and"
              + " never reading their absence there as an edit",
          files(pending.size()),
          vault,
          pending.size() == 1 ? "is" : "are",
          pending.get(first),
          sample(pending.keySet()),
          nextRetry == null ? "" : " in " + text(nextRetry));
      summarized = pending.size();
    } else if (written > 0) {
      log.info(
          "vault {}: {} more written to the master folder; {} still owed: {}",
          vault,
          files(written),
          pending.size(),
          sample(pending.keySet()));
    }
    reported.put(vault, new Reported(Set.copyOf(pending.keySet()), summarized));
  }

  private static String files(long n) {
    return n == 1 ? "1 file" : n + " files";
  }

  private static String sample(Set<NotePath> paths) {
    String named =
        paths.stream().limit(SAMPLE).map(NotePath::value).collect(Collectors.joining(", "));
    return paths.size() > SAMPLE ? named + " and " + (paths.size() - SAMPLE) + " more" : named;
  }

  private static String text(Duration d) {
    return d.toSeconds() >= 60 && d.toSecondsPart() == 0
        ? d.toMinutes() + " min"
        : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
