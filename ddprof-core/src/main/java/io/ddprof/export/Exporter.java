package io.ddprof.export;

import io.ddprof.window.RecordedWindow;

/**
 * Receives each finished window, always on the profiler's single export thread. An exporter
 * may throw: the failure is recorded against it and the other exporters still run. It must
 * not keep {@link RecordedWindow#jfr()} past the call; it links or copies what it keeps.
 */
public interface Exporter extends AutoCloseable {

	/** A short name for logs and status, such as {@code datadog} or {@code local}. */
	String name();

	/** Handles one window. */
	void export(RecordedWindow profile) throws Exception;

	/** Releases what the exporter holds, waiting at most until {@code deadlineNanos} ({@link System#nanoTime()}). */
	default void close(long deadlineNanos) {
	}

	@Override
	default void close() {
		close(System.nanoTime());
	}

}
