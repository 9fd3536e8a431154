package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.v1.CommitRequest;
import io.vaultsync.transport.grpc.v1.CommitResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of one Commit call: the request checked and decoded, the backend's outcomes
 * encoded (compact where the client asked for it), and an old client that cannot read a refused
 * outcome answered in a way it can.
 */
final class CommitAnswer {
  private CommitAnswer() {}

  /** Commits {@code request} as {@code device} (the authenticated one) and encodes the outcomes. */
  static CommitResponse answer(VaultTransport backend, CommitRequest request, String device)
      throws IOException {
    String vault = FromProto.vault(request.getVault());
    if (request.getMutationsCount() > Limits.COMMIT_MUTATIONS) {
      throw new IllegalArgumentException(
          "commit of "
              + request.getMutationsCount()
              + " mutations; at most "
              + Limits.COMMIT_MUTATIONS
              + " per call");
    }
    List<Mutation> mutations = new ArrayList<>(request.getMutationsCount());
    for (var m : request.getMutationsList()) {
      mutations.add(FromProto.mutation(m));
    }
    CommitOptions options = new CommitOptions(request.getAllowMassDelete());
    List<Outcome> outcomes = backend.commit(vault, mutations, device, options);
    if (!request.getRefusedOutcomes()) {
      refuseForOldClient(vault, outcomes);
    }
    CommitResponse.Builder b = CommitResponse.newBuilder();
    for (int i = 0; i < outcomes.size(); i++) {
      var o = ToProto.outcome(outcomes.get(i));
      b.addOutcomes(
          request.getCompactOutcomes() && i < request.getMutationsCount()
              ? CompactOutcomes.compact(request.getMutations(i), o)
              : o);
    }
    return b.build();
  }

  /**
   * An old client (no {@code refused_outcomes}) cannot read {@code Outcome.refused}: its outcome
   * decoder would fail the sync with "malformed response". It gets INVALID_ARGUMENT naming the
   * first refused path instead, which it prints; the batch's other mutations are applied (the next
   * sync finds them equal on both sides and only records them).
   */
  private static void refuseForOldClient(String vault, List<Outcome> outcomes)
      throws InvalidRequestException {
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Refused r) {
        throw new InvalidRequestException(
            "vault \""
                + vault
                + "\" refused \""
                + r.path()
                + "\": "
                + r.reason()
                + " (this client is too old to leave such a file out and go on: update it; the"
                + " batch's other changes were applied)");
      }
    }
  }
}
