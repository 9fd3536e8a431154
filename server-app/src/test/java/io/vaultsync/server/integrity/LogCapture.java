package io.vaultsync.server.integrity;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what the server logs (INFO and up) while it is open; for assertions on log lines. */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger vaultsync = (Logger) LoggerFactory.getLogger("io.vaultsync");
  private final Level before = vaultsync.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
    vaultsync.setLevel(Level.INFO);
  }

  /** Every event so far. */
  public List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /** The formatted messages of the events at {@code level}. */
  public List<String> lines(Level level) {
    return appender.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** Whether any event carries a stack trace. */
  public boolean anyStackTrace() {
    return appender.list.stream().anyMatch(e -> e.getThrowableProxy() != null);
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    vaultsync.setLevel(before);
  }
}
