package io.vaultsync.client.state;

/**
 * Where the index store stood when an index was read or saved: which snapshot (its generation and
 * file identity), how long it is, and how many journal bytes are valid after it. A cached index is
 * current while the files still match; the next append goes at {@code journalBytes}.
 *
 * @param generation the snapshot's generation, which the journal header must name (0: none)
 * @param snapshotKey the snapshot file's identity (inode), or null where the file system has none
 * @param snapshotBytes the snapshot's length
 * @param journalBytes the valid length of the journal (header and whole records); 0 if none
 * @param compactDue whether the next save must write a new snapshot (an old-format snapshot, a
 *     journal that was torn, ignored or failed to append)
 */
record IndexStamp(
    long generation,
    Object snapshotKey,
    long snapshotBytes,
    long journalBytes,
    boolean compactDue) {
  IndexStamp {
    if (snapshotBytes < 0 || journalBytes < 0) {
      throw new IllegalArgumentException(
          "index stamp of " + snapshotBytes + " and " + journalBytes + " bytes; expected >= 0");
    }
  }

  IndexStamp withJournal(long bytes) {
    return new IndexStamp(generation, snapshotKey, snapshotBytes, bytes, compactDue);
  }

  IndexStamp compactNext() {
    return new IndexStamp(generation, snapshotKey, snapshotBytes, journalBytes, true);
  }
}
