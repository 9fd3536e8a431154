package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Records the server's outcomes of one commit batch in the index (in memory): an applied move,
 * delete or upload changes the index entry, a stale step asks for a re-plan, a refused one is
 * named.
 */
final class OutcomeRecorder {
  private final Round round;

  OutcomeRecorder(Round round) {
    this.round = round;
  }

  void record(List<BatchedMutation> batch, List<Outcome> outcomes) throws IOException {
    if (outcomes.size() != batch.size()) {
      throw new IOException(
          "server answered a batch of " + batch.size() + " with " + outcomes.size() + " outcomes");
    }
    RoundLedger ledger = round.ledger();
    for (int i = 0; i < batch.size(); i++) {
      BatchedMutation p = batch.get(i);
      Outcome o = outcomes.get(i);
      ledger.remoteDone(p.mutation().path());
      if (o instanceof Outcome.Stale) {
        ledger.stale();
        continue;
      }
      if (o instanceof Outcome.Refused r) {
        ledger.refused(p.mutation().path(), r.reason());
        continue;
      }
      Change c = ((Outcome.Applied) o).change();
      ledger.applied(c.seq());
      Mutation m = p.mutation();
      if (m instanceof Mutation.Move mv) {
        moved(mv, c);
      } else if (m instanceof Mutation.Delete) {
        round.index().remove(m.path());
        round.tally().deleted();
      } else {
        round.index().put(p.upload().entry());
        round.tally().up();
      }
    }
  }

  private void moved(Mutation.Move mv, Change c) throws IOException {
    IndexEntry old = round.index().get(mv.path());
    BasicFileAttributes a = SafeFiles.attributes(round.files().file(mv.to(), false));
    round.index().remove(mv.path());
    ManifestEntry seen = round.seen().at(mv.to());
    // A file moved and edited holds other content than the moved version: until its upload
    // is recorded, the entry must make the next scan hash the file (mtime MIN_VALUE).
    boolean same = seen != null && seen.hash().equals(mv.expected());
    round
        .index()
        .put(
            old != null && old.hash().equals(mv.expected()) && a != null
                ? old.movedTo(mv.to(), same ? seen.mtimeMillis() : Long.MIN_VALUE)
                : new IndexEntry(mv.to(), c.size(), Long.MIN_VALUE, c.hash(), null));
    round.tally().moved();
  }
}
