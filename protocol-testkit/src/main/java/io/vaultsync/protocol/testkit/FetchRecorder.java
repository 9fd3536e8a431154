package io.vaultsync.protocol.testkit;

import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.VaultTransport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records a {@link VaultTransport#fetchMany}'s calls. */
final class FetchRecorder implements FetchReceiver {
  final List<String> calls = new ArrayList<>();
  final Map<Integer, ByteArrayOutputStream> deltas = new HashMap<>();
  final Map<Integer, String> notFound = new HashMap<>();

  @Override
  public OutputStream begin(int index) {
    calls.add("begin " + index);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    deltas.put(index, out);
    return out;
  }

  @Override
  public void end(int index) {
    calls.add("end " + index);
  }

  @Override
  public void notFound(int index, String message) {
    calls.add("notFound " + index);
    notFound.put(index, message);
  }
}
