package io.vaultsync.protocol;

/**
 * Every size both sides of the protocol agree on, written once: clients cut their work at these,
 * servers refuse what exceeds them, and the gRPC transport sizes its messages from them (its own
 * framing details are in transport-grpc's {@code WireLimits}). Changing one is a protocol change:
 * see docs/FORMAT.md.
 */
public final class Limits {
  private Limits() {}

  /**
   * Most mutations in one commit. A client cuts larger batches; a server refuses more. An outcome
   * carries at most two 4 KiB paths and ~100 bytes more, so an answer stays under ~4.2 MB.
   */
  public static final int COMMIT_MUTATIONS = 500;

  /** Most encoded bytes of one commit request; a client's batch is split into several calls. */
  public static final int COMMIT_BYTES = 7 << 20;

  /** Largest delta inline in a commit's mutation; a larger one goes through a push. */
  public static final int INLINE_DELTA_BYTES = 4 << 20;

  /** Largest bulk-data chunk of a streamed fetch or push. */
  public static final int CHUNK_BYTES = 1 << 20;

  /**
   * Largest message either side accepts: a commit of {@link #INLINE_DELTA_BYTES} of inline delta
   * plus paths fits with room to spare.
   */
  public static final int MESSAGE_BYTES = 8 << 20;

  /** Most files in one batched fetch. */
  public static final int FETCH_ITEMS = 1_000;

  /** Most versions one history request may ask for. */
  public static final int HISTORY_VERSIONS = 10_000;

  /** Most changes in one page of the ledger, whatever limit the client asked for. */
  public static final int CHANGES_PER_PAGE = 10_000;

  /** Most wanted hashes (content the server lost) one change page carries. */
  public static final int WANTED_PER_PAGE = 1_000;
}
