package io.vaultsync.protocol.testkit;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a subscription delivered; notes any seq out of order or repeated. */
final class ChangeRecorder implements ChangeListener {
  final long after;
  final List<Long> seqs = new CopyOnWriteArrayList<>();
  final List<Change> changes = new CopyOnWriteArrayList<>();
  final AtomicReference<String> error = new AtomicReference<>();
  final AtomicReference<IOException> closed = new AtomicReference<>();

  ChangeRecorder(long after) {
    this.after = after;
  }

  long last() {
    return seqs.isEmpty() ? after : seqs.get(seqs.size() - 1);
  }

  @Override
  public void onChanges(List<Change> delivered, long headSeq) {
    for (Change c : delivered) {
      if (c.firstSeq() != last() + 1) {
        error.compareAndSet(null, "got seq " + c.firstSeq() + " after " + last());
      }
      seqs.add(c.seq());
      changes.add(c);
    }
    if (headSeq < last()) {
      error.compareAndSet(null, "head seq " + headSeq + " below delivered " + last());
    }
  }

  @Override
  public void onClosed(IOException cause) {
    closed.compareAndSet(null, cause);
    error.compareAndSet(null, "closed: " + cause);
  }
}
