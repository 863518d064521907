package io.ddprof.export.datadog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what ddprof logs: {@code System.Logger} goes to java.util.logging by default,
 * so a handler on the {@code io.ddprof} logger sees every line.
 */
final class CapturedLogs extends Handler implements AutoCloseable {

	private final Logger logger = Logger.getLogger("io.ddprof");

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	CapturedLogs() {
		setLevel(Level.ALL);
		this.logger.addHandler(this);
	}

	/** Every record so far. */
	List<LogRecord> records() {
		return List.copyOf(this.records);
	}

	/** Every message so far. */
	List<String> messages() {
		return this.records.stream().map(LogRecord::getMessage).toList();
	}

	@Override
	public void publish(LogRecord record) {
		this.records.add(record);
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		this.logger.removeHandler(this);
	}

}
