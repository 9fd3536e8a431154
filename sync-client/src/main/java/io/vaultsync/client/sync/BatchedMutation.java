package io.vaultsync.client.sync;

import io.vaultsync.protocol.Mutation;

/**
 * A mutation of a commit batch and, for an upload, what to record when it is applied.
 *
 * @param upload the prepared upload the mutation sends; null for a move or a delete
 */
record BatchedMutation(Mutation mutation, PreparedUpload upload) {}
