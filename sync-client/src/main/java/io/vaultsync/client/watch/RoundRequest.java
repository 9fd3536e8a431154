package io.vaultsync.client.watch;

import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.SyncReport;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A round asked of a running watch from outside its loop ({@code vaultsync sync} handed off): run
 * one full two-way sync with {@code options} as soon as the round in progress, if any, is done, and
 * complete {@code result} with its report, or exceptionally with what failed it. Cancelled when the
 * watch drops it before the round started (it disconnected or stopped): the asker then syncs
 * itself.
 */
record RoundRequest(SyncOptions options, CompletableFuture<SyncReport> result) {
  RoundRequest {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(result, "result");
  }
}
