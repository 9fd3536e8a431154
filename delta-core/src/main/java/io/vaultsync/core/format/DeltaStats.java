package io.vaultsync.core.format;

/**
 * What a delta holds.
 *
 * @param targetBytes length of the target the delta rebuilds
 * @param deltaBytes bytes of the encoded delta, header and end marker included
 * @param literalBytes target bytes carried as literals (before compression)
 * @param copiedBytes target bytes copied from the basis
 * @param copyOps COPY operations written (adjacent copies merged)
 * @param literalOps LITERAL operations written
 */
public record DeltaStats(
    long targetBytes,
    long deltaBytes,
    long literalBytes,
    long copiedBytes,
    long copyOps,
    long literalOps) {}
