package io.vaultsync.protocol.testkit;

import io.vaultsync.protocol.FetchReceiver;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link FetchReceiver} for tests: keeps each item's delta and each not-found message, and
 * records the calls in order ("begin 0", "end 0", "notFound 1", ...) so tests can check the
 * framing.
 */
public final class RecordingFetchReceiver implements FetchReceiver {
  public final List<String> calls = new ArrayList<>();
  public final Map<Integer, byte[]> deltas = new TreeMap<>();
  public final Map<Integer, String> notFound = new TreeMap<>();
  private ByteArrayOutputStream current;

  @Override
  public OutputStream begin(int index) {
    calls.add("begin " + index);
    current = new ByteArrayOutputStream();
    return current;
  }

  @Override
  public void end(int index) {
    calls.add("end " + index);
    deltas.put(index, current.toByteArray());
    current = null;
  }

  @Override
  public void notFound(int index, String message) {
    calls.add("notFound " + index);
    notFound.put(index, message);
  }
}
