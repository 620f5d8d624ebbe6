package org.imaginebot.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class logs while a test runs, through a Logback {@link ListAppender}: for checking that
 * the operator log holds what users are not shown (an incident's stack trace). Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(org.slf4j.Logger source) {
    logger = (Logger) source;
    appender.start();
    logger.addAppender(appender);
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture(LoggerFactory.getLogger(source));
  }

  /** Everything logged at the levels configured (every library's log too). */
  public static LogCapture root() {
    return new LogCapture(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  /** Each event, any level, as {@link #errors()} shows an error. */
  public List<String> all() {
    synchronized (appender) {
      return appender.list.stream().map(LogCapture::text).toList();
    }
  }

  /** Each ERROR event as its formatted message, a newline, and its stack trace ("" when none). */
  public List<String> errors() {
    synchronized (appender) { // ListAppender appends under this lock
      return appender.list.stream()
          .filter(e -> e.getLevel() == Level.ERROR)
          .map(LogCapture::text)
          .toList();
    }
  }

  private static String text(ILoggingEvent e) {
    return e.getFormattedMessage()
        + "\n"
        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
