package io.hephaestus.core.telemetry;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Captures what one logback logger writes, at a chosen level, until closed.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;

    private final Level previousLevel;

    private final boolean previousAdditive;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {

        @Override
        protected void append(ILoggingEvent event) {
            // Snapshot the MDC now: logback reads it lazily, after the caller may have cleared it.
            event.prepareForDeferredProcessing();
            super.append(event);
        }

    };

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = this.logger.getLevel();
        this.previousAdditive = this.logger.isAdditive();
        this.appender.start();
        this.logger.addAppender(this.appender);
        this.logger.setLevel(level);
        this.logger.setAdditive(false);
    }

    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture(loggerName, level);
    }

    public static LogCapture of(Class<?> loggerType, Level level) {
        return new LogCapture(loggerType.getName(), level);
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(this.appender.list);
    }

    public List<String> messages() {
        return this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        this.logger.detachAppender(this.appender);
        this.appender.stop();
        this.logger.setLevel(this.previousLevel);
        this.logger.setAdditive(this.previousAdditive);
    }
}
